package dev.calleval.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The header row of a manifest that could be opened: its column names, and those calleval does not read (neither
 * a known column, after the job's {@code source.columns} mapping, nor {@code metadata.<key>}).
 *
 * @param location the manifest, as the operator names it
 * @param columns the header's column names, stripped, in file order
 * @param unknown the columns calleval ignores, in file order (blank names left out)
 * @param suggestions for each unknown column that looks like a misspelt known one, "unknown → known header"
 * @param known the header names calleval reads (the known columns as the job's mapping names them)
 */
public record ManifestHeader(String location, List<String> columns, List<String> unknown, List<String> suggestions, List<String> known) {

    public ManifestHeader {
        columns = List.copyOf(columns);
        unknown = List.copyOf(unknown);
        suggestions = List.copyOf(suggestions);
        known = List.copyOf(known);
    }

    /** The header of {@code columns} read through {@code mapping}. */
    ManifestHeader(String location, List<String> columns, ColumnMapping mapping) {
        this(location, columns, unknownOf(columns, mapping), suggestionsOf(unknownOf(columns, mapping), columns, mapping),
                ColumnMapping.LOGICAL_COLUMNS.stream().map(mapping::header).toList());
    }

    private static List<String> unknownOf(List<String> columns, ColumnMapping mapping) {
        return columns.stream().filter(c -> !c.isBlank())
                .filter(c -> !ColumnMapping.LOGICAL_COLUMNS.contains(mapping.logical(c)) && !mapping.logical(c).startsWith("metadata."))
                .toList();
    }

    private static List<String> suggestionsOf(List<String> unknown, List<String> columns, ColumnMapping mapping) {
        List<String> missing = ColumnMapping.LOGICAL_COLUMNS.stream().map(mapping::header).filter(h -> !columns.contains(h)).toList();
        List<String> suggestions = new ArrayList<>();
        for (String column : unknown) {
            Spelling.closest(column, missing).ifPresent(known -> suggestions.add(column + " → " + known));
        }
        return suggestions;
    }

    /**
     * The warning to give once per run or validation when some columns are ignored, e.g. {@code calls.csv: unknown
     * columns agent, start_time, ignored (did you mean: agent → agent_id, start_time → start_time_utc?); known columns:
     * ...}; empty when every column is read.
     */
    public Optional<String> warning() {
        if (unknown.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(location + ": unknown column" + (unknown.size() == 1 ? " " : "s ") + String.join(", ", unknown) + ", ignored"
                + (suggestions.isEmpty() ? "" : " (did you mean: " + String.join(", ", suggestions) + "?)")
                + "; known columns: " + String.join(", ", known)
                + ", metadata.<key> (docs/manifests.md)");
    }
}
