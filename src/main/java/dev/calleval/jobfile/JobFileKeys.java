package dev.calleval.jobfile;

import dev.calleval.source.Spelling;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;

/**
 * The keys a job file may hold, read off the records it binds to ({@link JobFile} and its sections; a record
 * component {@code rateLimit} is the key {@code rate-limit}), to say which part of an unknown key is wrong and
 * which key was probably meant. Map-valued sections ({@code metadata}, {@code columns}, {@code labels}, ...) take
 * any key; lists take indexes.
 */
final class JobFileKeys {
    /** Components set by the loader, never written in a file. */
    private static final Set<String> NOT_KEYS = Set.of("file");

    private JobFileKeys() {}

    /**
     * What is wrong with an unknown key: its first element that is not a key where it stands, with the closest
     * key there, e.g. {@code unknown key 'submit.rate-limits' (did you mean 'submit.rate-limit'?)}.
     */
    static String describeUnknown(ConfigurationPropertyName name) {
        Type type = JobFile.class;
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < name.getNumberOfElements(); i++) {
            String element = name.getElement(i, ConfigurationPropertyName.Form.DASHED);
            Class<?> raw = raw(type);
            if (raw.isRecord()) {
                RecordComponent match = null;
                for (RecordComponent c : raw.getRecordComponents()) {
                    if (!NOT_KEYS.contains(c.getName()) && key(c).equals(element)) {
                        match = c;
                    }
                }
                String here = path.isEmpty() ? "" : path + ".";
                if (match == null) {
                    List<String> keys = keys(raw);
                    String suggestion = Spelling.closest(element, keys).map(k -> " (did you mean '" + here + k + "'?)")
                            .orElse(" (" + (here.isEmpty() ? "top-level keys" : "keys of " + path) + ": " + String.join(", ", keys) + ")");
                    return "unknown key '" + name + "'" + (here.isEmpty() ? "" : ": '" + element + "' is not a key of " + path) + suggestion;
                }
                path.append(here.isEmpty() ? "" : ".").append(element);
                type = match.getGenericType();
            } else if (Collection.class.isAssignableFrom(raw) || raw.isArray()) {
                path.append('[').append(element).append(']');
                type = typeArgument(type, 0);
            } else if (Map.class.isAssignableFrom(raw)) {
                path.append('.').append(element);
                type = typeArgument(type, 1);
            } else {
                return "unknown key '" + name + "': " + path + " takes a single value, not keys under it";
            }
        }
        return "unknown key '" + name + "'";
    }

    /** The keys of a section record, as written in files. */
    static List<String> keys(Class<?> record) {
        List<String> keys = new ArrayList<>();
        for (RecordComponent c : record.getRecordComponents()) {
            if (!NOT_KEYS.contains(c.getName())) {
                keys.add(key(c));
            }
        }
        return List.copyOf(new TreeSet<>(keys));
    }

    private static String key(RecordComponent component) {
        return DataObjectPropertyName.toDashedForm(component.getName());
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        return Object.class;
    }

    private static Type typeArgument(Type type, int index) {
        if (type instanceof ParameterizedType p && p.getActualTypeArguments().length > index) {
            return p.getActualTypeArguments()[index];
        }
        if (type instanceof Class<?> c && c.isArray()) {
            return c.getComponentType();
        }
        return Object.class;
    }
}
