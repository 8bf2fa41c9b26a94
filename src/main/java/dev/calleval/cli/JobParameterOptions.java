package dev.calleval.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The job parameter options of {@code run} and {@code validate}: {@code --param key=value} (repeatable) and
 * {@code --date yyyy-MM-dd} (short for {@code --param date=...}). Known parameter: {@code date}, the day an
 * {@code s3-prefix} source's template is filled with (default: yesterday in {@code source.zone}).
 */
final class JobParameterOptions {
    @Option(names = "--param", paramLabel = "KEY=VALUE", description = "a job parameter, e.g. --param date=2026-11-19 (repeatable)")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--date", paramLabel = "yyyy-MM-dd", description = "the date of an s3-prefix source's template (default: yesterday in source.zone)")
    @Nullable String date;

    /** The parameters given, {@code --date} included. */
    Map<String, String> values() {
        Map<String, String> all = new LinkedHashMap<>(params);
        if (date != null) {
            all.put("date", date);
        }
        return all;
    }
}
