package dev.calleval.config;

import java.lang.reflect.RecordComponent;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.stereotype.Component;

/**
 * Configuration is strict: before any bean is created, every {@code calleval.*} key set anywhere (a system property,
 * an {@code application.yaml}, a {@code CALLEVAL_*} environment variable, the default properties) must be a key of one
 * of the settings records ({@code @ConfigurationProperties} under {@code calleval}, found among the bean definitions,
 * so a new record is checked without a list to keep), or {@code calleval.log-format}. Otherwise the start stops with
 * {@link UnknownSettingException} (one line, exit 2), which names the key, where it was set and the key meant.
 *
 * <p>A key is refused when it lies in one of calleval's groups ({@code calleval.bluejay.base-ulr},
 * {@code CALLEVAL_PROGRESS_INTERVALL}) or is one or two letters away from a group or key
 * ({@code calleval.bluejy.base-url}, {@code calleval.jobs-dirr}). Other names under {@code calleval.} are left alone:
 * they belong to the tools around calleval ({@code CALLEVAL_TEST_POSTGRES_URL}, {@code CALLEVAL_PG_PORT} of
 * {@code scripts/postgres.sh}, the tests' {@code calleval.openapi}), and the documented variables that are not a key's
 * relaxed form ({@code CALLEVAL_DB_URL}, {@code CALLEVAL_API_TOKEN}, ...; {@link EnvironmentVariables}) are known.
 */
@Component
class SettingsCheck implements BeanFactoryPostProcessor, EnvironmentAware {
    /** Keys read outside the settings records: {@code LogFormatEnvironmentPostProcessor} reads this before any bean exists. */
    static final Set<String> OTHER_KEYS = Set.of("calleval.log-format");

    /** Documented variables that set no {@code calleval.*} key (the data source's, in {@code application.yaml}). */
    static final Set<String> OTHER_VARIABLES = Set.of("CALLEVAL_DB_URL", "CALLEVAL_DB_USER", "CALLEVAL_DB_PASSWORD");

    /**
     * Variables that are not calleval's although they start with {@code CALLEVAL_}: those Kubernetes gives every pod
     * for a Service named {@code calleval} ({@code CALLEVAL_SERVICE_HOST}, {@code CALLEVAL_SERVICE_PORT_HTTP},
     * {@code CALLEVAL_PORT_80_TCP_ADDR}, ...; jobs/deploy/kubernetes.yaml has one), and the test tools'
     * ({@code scripts/postgres.sh}'s {@code CALLEVAL_PG_*}, the tests' {@code CALLEVAL_TEST_*}).
     */
    static final Pattern NOT_OURS = Pattern.compile(
            "CALLEVAL_(SERVICE_HOST|SERVICE_PORT(_\\w+)?|PORT(_\\d+_(TCP|UDP|SCTP)(_\\w+)?)?|PG_\\w+|TEST_\\w+)");

    private @Nullable ConfigurableEnvironment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment instanceof ConfigurableEnvironment configurable ? configurable : null;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        if (environment == null) {
            return;
        }
        Set<String> keys = new TreeSet<>(OTHER_KEYS);
        for (String name : beanFactory.getBeanDefinitionNames()) {
            Class<?> type = beanFactory.getType(name, false);
            ConfigurationProperties properties = type == null ? null : type.getAnnotation(ConfigurationProperties.class);
            if (properties != null && type.isRecord()) {
                String prefix = properties.prefix().isEmpty() ? properties.value() : properties.prefix();
                if (prefix.equals("calleval") || prefix.startsWith("calleval.")) {
                    addKeys(keys, prefix, type);
                }
            }
        }
        check(environment, keys);
    }

    /**
     * @throws UnknownSettingException for the first key of {@code environment} under {@code calleval} that is not one
     *     of {@code keys} and is in, or close to, one of their groups
     */
    static void check(ConfigurableEnvironment environment, Set<String> keys) {
        Known known = new Known(keys);
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (!(source instanceof EnumerablePropertySource<?> enumerable) || source.getName().equals("configurationProperties")) {
                continue;
            }
            boolean variables = source instanceof SystemEnvironmentPropertySource;
            for (String name : enumerable.getPropertyNames()) {
                String refused = variables ? known.refusedVariable(name) : known.refusedKey(name);
                if (refused != null) {
                    throw new UnknownSettingException("unknown setting " + name + " (" + where(source, name, variables) + ")"
                            + (refused.isEmpty() ? "" : ": did you mean " + refused + "?") + " Fix or remove it: calleval accepts only its own "
                            + "calleval.* keys (docs/operations.md, \"Environment\")");
                }
            }
        }
    }

    private static String where(PropertySource<?> source, String name, boolean variables) {
        if (variables) {
            return "environment variable";
        }
        if (source.getName().equals("systemProperties")) {
            return "system property";
        }
        if (source.getName().equals("defaultProperties")) {
            return "default properties";
        }
        Origin origin = source instanceof OriginLookup<?> lookup ? originOf(lookup, name) : null;
        return origin != null ? origin.toString() : source.getName();
    }

    @SuppressWarnings("unchecked")
    private static @Nullable Origin originOf(OriginLookup<?> lookup, String name) {
        return ((OriginLookup<String>) lookup).getOrigin(name);
    }

    /** Adds the keys of {@code type}'s components under {@code prefix}, descending into calleval's own nested records. */
    static void addKeys(Set<String> keys, String prefix, Class<?> type) {
        for (RecordComponent component : type.getRecordComponents()) {
            String key = prefix + "." + DataObjectPropertyName.toDashedForm(component.getName());
            Class<?> componentType = component.getType();
            if (componentType.isRecord() && componentType.getName().startsWith("dev.calleval.")) {
                addKeys(keys, key, componentType);
            } else if (listOfOwnRecords(component) != null) { // key[0].field: the index is not compared
                addKeys(keys, key, listOfOwnRecords(component));
            } else {
                keys.add(key);
            }
        }
    }

    /** The record type of a {@code List<R>} component when R is one of calleval's records; else null. */
    private static @Nullable Class<?> listOfOwnRecords(RecordComponent component) {
        if (component.getType() == java.util.List.class && component.getGenericType() instanceof java.lang.reflect.ParameterizedType list
                && list.getActualTypeArguments()[0] instanceof Class<?> element && element.isRecord()
                && element.getName().startsWith("dev.calleval.")) {
            return element;
        }
        return null;
    }

        /** The known keys, their groups, and the forms of both as environment variables. */
    private static final class Known {
        /** Normal form → the key as documented (dashed). */
        private final Map<String, String> keys = new TreeMap<>();
        private final Set<String> groups = new TreeSet<>();
        private final Set<String> variables = new TreeSet<>(OTHER_VARIABLES);

        Known(Set<String> dashedKeys) {
            for (String key : dashedKeys) {
                keys.put(normal(key), key);
                groups.add(normal(key).split("\\.")[1]);
                String upper = key.toUpperCase(Locale.ROOT).replace('.', '_');
                variables.add(upper.replace('-', '_'));
                variables.add(upper.replace("-", ""));
            }
            variables.addAll(EnvironmentVariables.VARIABLES.values());
        }

        /** For a property name: null when it is known or not calleval's; else the key meant ("" when none is close). */
        @Nullable String refusedKey(String name) {
            String normal = normal(name);
            if (!normal.startsWith("calleval.") || keys.containsKey(normal) || keys.keySet().stream().anyMatch(k -> k.startsWith(normal + "."))) {
                return null;
            }
            String rest = normal.substring("calleval.".length());
            String group = rest.split("\\.")[0];
            String nearest = nearest(normal, keys.keySet());
            boolean ours = groups.contains(group) && rest.contains(".") || close(group, groups)
                    || nearest != null && distance(normal, nearest) <= 2;
            return !ours ? null : nearest == null ? "" : keys.get(nearest);
        }

        /** For an environment variable: null when it is known or not calleval's; else the variable meant ("" when none is close). */
        @Nullable String refusedVariable(String name) {
            if (!name.startsWith("CALLEVAL_") || variables.contains(name) || NOT_OURS.matcher(name).matches()
                    || name.endsWith("_FILE") && variables.contains(name.substring(0, name.length() - "_FILE".length()))) {
                return null;
            }
            String first = name.substring("CALLEVAL_".length()).split("_")[0].toLowerCase(Locale.ROOT);
            String nearest = nearest(name, variables);
            boolean ours = groups.contains(first) || close(first, groups) || nearest != null && distance(name, nearest) <= 2;
            return !ours ? null : nearest == null ? "" : nearest;
        }
    }

    /** Whether {@code word} is a group name, or one or two letters away from one (both at least four letters long). */
    private static boolean close(String word, Set<String> groups) {
        return groups.stream().anyMatch(g -> !g.equals(word) && g.length() >= 4 && word.length() >= 4 && distance(g, word) <= 2);
    }

    /** The candidate nearest to {@code name}, when it is at most a third of the name's length away. */
    private static @Nullable String nearest(String name, Set<String> candidates) {
        return candidates.stream().min(Comparator.comparingInt(c -> distance(c, name)))
                .filter(c -> distance(c, name) <= Math.max(2, name.length() / 6)).orElse(null);
    }

    /** Lower case, without the dashes and underscores relaxed binding ignores, without list indices. */
    static String normal(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("\\[[^]]*]", "").replace("-", "").replace("_", "");
    }

    /** Levenshtein distance (Apache Commons Text). */
    static int distance(String a, String b) {
        return LevenshteinDistance.getDefaultInstance().apply(a, b);
    }
}
