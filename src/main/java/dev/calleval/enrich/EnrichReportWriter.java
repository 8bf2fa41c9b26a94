package dev.calleval.enrich;

import dev.calleval.report.RunSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the report of one enrich job execution to {@code <directory>/<job>/<execution id>/}, streaming from the
 * ledger:
 * <ul>
 *   <li>{@code updates.csv}: one row per log read, in the order read: {@code simulation_result_id, file, line}
 *       (manifest line, 0 for a directory), {@code action} ({@link UpdateDisposition}), {@code state}
 *       ({@link UpdateState}), {@code attempts} (HTTP attempts over all runs), {@code error};</li>
 *   <li>{@code rejects.csv}: one row per rejected log: {@code file, line, simulation_result_id, fields, reason,
 *       origin} (LOCAL: invalid or duplicate; API: refused by Bluejay in this run; API_EARLIER: refused before, log
 *       unchanged);</li>
 *   <li>{@code summary.json}: {@link EnrichSummary}.</li>
 * </ul>
 * Text cells a spreadsheet would run as a formula (starting with {@code = + - @}) are prefixed with {@code '}.
 */
@Component
public class EnrichReportWriter {
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();

    private final SimulationUpdateRecords ledger;

    EnrichReportWriter(SimulationUpdateRecords ledger) {
        this.ledger = ledger;
    }

    /**
     * Facts about the execution that the ledger does not hold.
     *
     * @param endpoint the Bluejay endpoint the execution posted to ({@code sandbox} or a normalised base URL)
     */
    public record ExecutionInfo(String job, long executionId, String status, @Nullable String exitDescription, @Nullable Instant startTime,
            @Nullable Instant endTime, String source, @Nullable String endpoint, long logsRead, boolean resendInDoubt,
            RunSummary.Requests requests) {}

    /**
     * Writes the three files and returns the summary.
     *
     * @throws UncheckedIOException when the directory or a file cannot be written
     */
    public EnrichSummary write(Path baseDirectory, ExecutionInfo info) {
        Path dir = baseDirectory.resolve(info.job()).resolve(Long.toString(info.executionId()));
        Tally tally = new Tally();
        try {
            Files.createDirectories(dir);
            try (Writer updatesOut = Files.newBufferedWriter(dir.resolve("updates.csv"), StandardCharsets.UTF_8);
                    CSVPrinter updates = CSVFormat.RFC4180.builder().setHeader("simulation_result_id", "file", "line", "action", "state",
                            "attempts", "error").get().print(updatesOut);
                    Writer rejectsOut = Files.newBufferedWriter(dir.resolve("rejects.csv"), StandardCharsets.UTF_8);
                    CSVPrinter rejects = CSVFormat.RFC4180.builder().setHeader("file", "line", "simulation_result_id", "fields", "reason",
                            "origin").get().print(rejectsOut)) {
                ledger.forEachItem(info.executionId(), item -> {
                    try {
                        updates.printRecord(item.resultId(), safe(item.file()), item.line(), item.disposition(), item.state(),
                                item.attempts(), safe(item.error()));
                        if (item.state() == UpdateState.REJECTED) {
                            rejects.printRecord(safe(item.file()), item.line(), item.resultId(), safe(item.fields()), safe(item.error()),
                                    origin(item.disposition()));
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    tally.add(item);
                });
            }
            EnrichSummary.Counts counts = tally.counts();
            EnrichSummary summary = new EnrichSummary(info.job(), info.executionId(), info.status(), info.exitDescription(), info.startTime(),
                    info.endTime(), info.source(), info.endpoint(), info.logsRead(), info.resendInDoubt(), counts, counts.total() == info.logsRead(),
                    tally.postedIds, tally.inDoubtIds, tally.failedIds, tally.rejections, info.requests(), dir.toString());
            JSON.writeValue(dir.resolve("summary.json").toFile(), summary);
            return summary;
        } catch (IOException | UncheckedIOException e) {
            throw new UncheckedIOException("cannot write the report to " + dir + ": " + e.getMessage(),
                    e instanceof IOException io ? io : ((UncheckedIOException) e).getCause());
        }
    }

    /** The counts of an execution as they stand now (while it runs, or after), from the ledger; nothing is written. */
    public EnrichSummary.Counts counts(long executionId) {
        Tally tally = new Tally();
        ledger.forEachItem(executionId, tally::add);
        return tally.counts();
    }

    private static String origin(UpdateDisposition disposition) {
        return disposition == UpdateDisposition.ALREADY_REJECTED ? "API_EARLIER" : disposition.posted() ? "API" : "LOCAL";
    }

    /** The counts and id lists of the summary, added up item by item. */
    private static final class Tally {
        long posted, alreadyPosted, rejected, failed, inDoubt, changed, resent;
        final List<String> postedIds = new ArrayList<>();
        final List<String> inDoubtIds = new ArrayList<>();
        final List<String> failedIds = new ArrayList<>();
        final List<String> rejections = new ArrayList<>();

        void add(SimulationUpdateRecords.Item item) {
            String id = String.valueOf(item.resultId());
            switch (item.state()) {
                case POSTED -> {
                    if (item.disposition().posted()) {
                        posted++;
                        postedIds.add(id);
                    } else {
                        alreadyPosted++;
                    }
                }
                case REJECTED -> {
                    rejected++;
                    boolean reasonNamesFields = item.disposition() == UpdateDisposition.INVALID || item.fields() == null;
                    rejections.add(item.file() + ": " + (reasonNamesFields ? "" : item.fields() + ": ") + item.error());
                }
                case FAILED -> {
                    failed++;
                    failedIds.add(id);
                }
                case IN_DOUBT, PENDING -> {
                    inDoubt++;
                    inDoubtIds.add(id);
                }
            }
            if (item.disposition() == UpdateDisposition.CHANGED_AFTER_POST) {
                changed++;
            }
            if (item.disposition() == UpdateDisposition.RESENT_IN_DOUBT) {
                resent++;
            }
        }

        EnrichSummary.Counts counts() {
            return new EnrichSummary.Counts(posted, alreadyPosted, rejected, failed, inDoubt, changed, resent);
        }
    }

    /** Neutralises spreadsheet formulas in a text cell. */
    static @Nullable String safe(@Nullable String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        char first = text.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r' ? "'" + text : text;
    }
}
