package dev.calleval.jobfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.convert.ConversionFailedException;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;

/**
 * Loads job files. A job is named either by a path to a YAML file or by a name looked up as
 * {@code <jobs-dir>/<name>.yaml} (then {@code .yml}).
 */
public final class JobDefinitions {
    private final Path jobsDirectory;

    public JobDefinitions(Path jobsDirectory) {
        this.jobsDirectory = jobsDirectory;
    }

    /**
     * @throws JobFileException no such job, YAML syntax error, or an invalid value (the message names the key)
     */
    public JobDefinition load(String nameOrPath) {
        return loadFile(resolve(nameOrPath));
    }

    /** The folder job names are looked up in. */
    public Path directory() {
        return jobsDirectory;
    }

    /**
     * Every job file of the jobs folder ({@code *.yaml}, {@code *.yml}), keyed by the name it is run by (the file
     * name without extension, as in {@code run NAME}), sorted; empty when the folder does not exist.
     *
     * @throws JobFileException for the first file that is not a valid job file, or two files of one name
     */
    public java.util.SortedMap<String, JobDefinition> all() {
        java.util.SortedMap<String, JobDefinition> jobs = new java.util.TreeMap<>();
        if (!Files.isDirectory(jobsDirectory)) {
            return jobs;
        }
        List<Path> files;
        try (var listing = Files.list(jobsDirectory)) {
            files = listing.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().endsWith(".yaml") || f.getFileName().toString().endsWith(".yml"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new JobFileException(jobsDirectory + ": cannot list the job files: " + e.getMessage());
        }
        for (Path file : files) {
            String name = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
            if (jobs.containsKey(name)) {
                throw new JobFileException(file + ": a second job file named '" + name + "' (" + jobs.get(name).file() + ")");
            }
            jobs.put(name, loadFile(file));
        }
        return jobs;
    }

    /** The file a job name or path refers to. */
    public Path resolve(String nameOrPath) {
        Path direct = Path.of(nameOrPath);
        if (nameOrPath.endsWith(".yaml") || nameOrPath.endsWith(".yml") || nameOrPath.contains("/")) {
            if (!Files.isRegularFile(direct)) {
                throw new JobFileException(nameOrPath + ": job file not found");
            }
            return direct;
        }
        for (String ext : List.of(".yaml", ".yml")) {
            Path candidate = jobsDirectory.resolve(nameOrPath + ext);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new JobFileException("no job named '" + nameOrPath + "': looked for " + jobsDirectory.resolve(nameOrPath + ".yaml")
                + " (give a job name from " + jobsDirectory + "/ or a path to a job YAML)");
    }

    /**
     * An enrich job without a job file ({@code calleval enrich --dir DIR | --manifest CSV}): named
     * {@code enrich-<name of the directory or manifest>}, with the default {@code submit:} settings.
     *
     * @param reportDirectory where reports go ({@code <reportDirectory>/<name>/<execution id>/})
     */
    public static JobDefinition.Enrich enrichJob(Path location, LogSourceType type, String reportDirectory) {
        String base = location.toAbsolutePath().normalize().getFileName() == null ? "logs"
                : location.toAbsolutePath().normalize().getFileName().toString().replaceFirst("\\.[A-Za-z]+$", "");
        String name = ("enrich-" + base.replaceAll("[^A-Za-z0-9._-]", "-"));
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("name", name.length() > 100 ? name.substring(0, 100) : name);
        properties.put("enrich.location", location.toAbsolutePath().normalize().toString());
        properties.put("enrich.type", type.name().toLowerCase(Locale.ROOT));
        properties.put("report.directory", reportDirectory);
        try {
            return (JobDefinition.Enrich) new Binder(new MapConfigurationPropertySource(properties)).bind("", JobFile.class)
                    .orElseThrow(() -> new JobFileException("cannot make an enrich job for " + location)).definition(null);
        } catch (BindException e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            throw new JobFileException("cannot make an enrich job for " + location + ": " + cause.getMessage());
        }
    }

    /**
     * Reads and binds one job file ({@link JobFile}), strictly: a key that no section has is an error, as is a value of the wrong
     * type or out of range.
     *
     * @return the job of the kind the file declares
     * @throws JobFileException naming the file, the line (where known), the key and what is wrong; for an unknown key
     *     the key probably meant; for a file with none or two of the kind sections, which it has
     */
    static JobDefinition loadFile(Path file) {
        List<PropertySource<?>> sources;
        try {
            sources = new YamlPropertySourceLoader().load(file.toString(), new FileSystemResource(file));
        } catch (IOException | RuntimeException e) {
            throw new JobFileException(file + ": not valid YAML: " + e.getMessage());
        }
        if (sources.isEmpty()) {
            throw new JobFileException(file + ": the job file is empty");
        }
        if (sources.size() > 1) {
            throw new JobFileException(file + ": a job file is one YAML document; this one has " + sources.size() + " (remove the '---' lines)");
        }
        Binder binder = new Binder(ConfigurationPropertySources.from(sources.get(0)));
        try {
            JobFile written = binder.bind(ConfigurationPropertyName.EMPTY, Bindable.of(JobFile.class),
                            new NoUnboundElementsBindHandler(BindHandler.DEFAULT))
                    .orElseThrow(() -> new JobFileException(file + ": the job file defines nothing"));
            return written.definition(file);
        } catch (BindException e) {
            throw new JobFileException(bindFailure(file, e));
        }
    }

    /** One line saying what is wrong in the file: each unknown key, or the value that does not fit its key. */
    private static String bindFailure(Path file, BindException e) {
        if (e.getCause() instanceof UnboundConfigurationPropertiesException unbound) {
            return unbound.getUnboundProperties().stream()
                    .map(p -> at(file, p) + ": " + JobFileKeys.describeUnknown(p.getName()))
                    .collect(Collectors.joining("; "))
                    + " (a job file holds only the keys of docs/job-file.md)";
        }
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        while (cause.getCause() != null && !(cause instanceof IllegalArgumentException && !(cause instanceof NumberFormatException))) {
            cause = cause.getCause();
        }
        String key = e.getName().toString();
        ConfigurationProperty property = e.getProperty();
        if (property != null && e.getCause() instanceof ConversionFailedException) {
            return at(file, property) + ": " + key + ": \"" + property.getValue() + "\" " + expected(e.getTarget().getType().resolve(Object.class));
        }
        return (property != null ? at(file, property) : file.toString()) + ": invalid value" + (key.isEmpty() ? "" : " for '" + key + "'") + ": "
                + cause.getMessage();
    }

    /** {@code file:line} of a property (YAML origins count lines from 0), or the file alone. */
    private static String at(Path file, ConfigurationProperty property) {
        Origin origin = Origin.from(property);
        for (int i = 0; i < 5 && origin != null && !(origin instanceof TextResourceOrigin); i++) {
            origin = origin instanceof org.springframework.boot.origin.PropertySourceOrigin p && p.getOrigin() != null ? p.getOrigin()
                    : origin.getParent();
        }
        if (origin instanceof TextResourceOrigin text && text.getLocation() != null) {
            return file + ":" + (text.getLocation().getLine() + 1);
        }
        return file.toString();
    }

    /** What a value of the target type looks like, for "... is not ...". */
    private static String expected(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "is not a whole number";
        }
        if (type == double.class || type == Double.class || Number.class.isAssignableFrom(type)) {
            return "is not a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "is not true or false";
        }
        if (type == java.time.Duration.class) {
            return "is not a duration (a number with a unit: 500ms, 30s, 5m, 2h, 7d)";
        }
        if (type == org.springframework.util.unit.DataSize.class) {
            return "is not a size (a number with a unit: 512KB, 50MB, 1GB)";
        }
        if (type.isEnum()) {
            return "is not one of " + java.util.Arrays.stream(type.getEnumConstants())
                    .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT).replace('_', '-')).collect(Collectors.joining(", "));
        }
        return "is not a " + type.getSimpleName();
    }
}
