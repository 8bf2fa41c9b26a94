package dev.calleval.plan;

import dev.calleval.bluejay.BluejayEndpoint;
import dev.calleval.bluejay.BluejayRateLimitSettings;
import dev.calleval.evaluate.SourceScan;
import dev.calleval.jobfile.JobDefinition;
import dev.calleval.ledger.Disposition;
import dev.calleval.ledger.Ledger;
import dev.calleval.ledger.Sampling;
import dev.calleval.mapping.MappedCall;
import dev.calleval.report.JobReports;
import dev.calleval.report.ReportWriter;
import dev.calleval.s3.S3Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Makes the plan of an evaluate job ({@code run JOB --dry-run}): reads, maps and validates every row as a run does
 * ({@link SourceScan}, as {@code validate}), asks the ledger what a run would decide for each valid call without
 * writing ({@link Ledger#preview}: already done, refused before, being sent by a live execution, in doubt), applies
 * the job's {@code sampling:} in input order as a run does, and counts, times and costs what a run would send.
 *
 * <p>It sends nothing, writes nothing to the ledger and creates no job execution: nothing of it is in the state store,
 * so a run right after it sends every call it lists as SEND. It writes two files to the job's report folder
 * ({@link JobReports#jobDirectory}, e.g. {@code reports/sample/}), replacing those of the previous plan:
 * {@code plan.json} (the {@link Plan}) and {@code plan.csv} (every row: {@code line, source, source_id, decision,
 * reason}, in input order; decision one of SEND, SEND_IN_DOUBT, NOT_SAMPLED, DEFERRED, ALREADY_DONE, ALREADY_REJECTED,
 * RUNNING_ELSEWHERE, REJECTED). Memory stays small: rows are looked up and written one chunk
 * ({@code submit.chunk-size}) at a time.
 */
@Component
public class Planner {
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();

    private final Ledger ledger;
    private final S3Storage s3;
    private final Clock clock;
    private final BluejayRateLimitSettings accountLimits;

    public Planner(Ledger ledger, S3Storage s3, Clock clock, BluejayRateLimitSettings accountLimits) {
        this.ledger = ledger;
        this.s3 = s3;
        this.clock = clock;
        this.accountLimits = accountLimits;
    }

    /**
     * The requests per second the plan's time is estimated at: the lower of the job's {@code submit.rate-limit} and the
     * limit of the account at {@code endpoint} ({@code calleval.bluejay.rate-limit}, docs/rate-budget.md), a job's
     * own limit only lowering its share; 0 when neither limits (unlimited). An execution running beside others on the
     * same account gets a share of it, so the time shown is the least.
     */
    double rateLimit(JobDefinition.Evaluate definition, BluejayEndpoint endpoint) {
        double job = definition.submit().rateLimit();
        double account = endpoint.equals(BluejayEndpoint.SANDBOX) ? accountLimits.perSecond()
                : accountLimits.perSecondAt(URI.create(endpoint.key()));
        if (job <= 0) {
            return account;
        }
        return account <= 0 ? job : Math.min(job, account);
    }

    /** The least time {@code calls} requests take at {@code rate} per second, in seconds; null when the rate is unlimited (0). */
    static @Nullable Double secondsAt(long calls, double rate) {
        return rate > 0 ? calls / rate : null;
    }

    /**
     * Makes the plan of {@code definition} (its parameters applied) for the calls of {@code endpoint} and writes
     * {@code plan.json} and {@code plan.csv}.
     *
     * @param warnings told the manifest header's warning before the first row
     * @throws dev.calleval.source.ManifestException when the manifest cannot be read (or a CSV syntax error ends its read)
     * @throws UncheckedIOException when the plan cannot be written
     */
    public Plan plan(JobDefinition.Evaluate definition, BluejayEndpoint endpoint, Consumer<String> warnings) throws Exception {
        Path directory = JobReports.jobDirectory(definition);
        Path csvFile = directory.resolve("plan.csv");
        Map<String, Long> counts = new java.util.HashMap<>();
        long[] rows = {0};
        Sampling.Chooser chooser = definition.sampling().sampling().chooser(0);
        int chunkSize = definition.submit().chunkSize();
        createDirectories(directory);
        Path partial = directory.resolve("plan.csv.partial");
        try (Writer out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8);
                CSVPrinter csv = CSVFormat.RFC4180.builder().setHeader("line", "source", "source_id", "decision", "reason").get().print(out)) {
            List<MappedCall> chunk = new ArrayList<>();
            int[] valid = {0};
            SourceScan.forEachRow(definition, s3, warnings, (record, call, duplicate) -> {
                rows[0]++;
                chunk.add(call);
                if (call instanceof MappedCall.Accepted && ++valid[0] >= chunkSize) {
                    decide(endpoint, chunk, chooser, csv, counts);
                    chunk.clear();
                    valid[0] = 0;
                }
            });
            decide(endpoint, chunk, chooser, csv, counts);
        } catch (IOException e) {
            Files.deleteIfExists(partial);
            throw new UncheckedIOException("cannot write the plan to " + partial + ": " + e.getMessage(), e);
        } catch (Exception e) { // the manifest could not be read to its end: no plan, and no half of one left behind
            Files.deleteIfExists(partial);
            throw e;
        }
        move(partial, csvFile);
        long toSend = counts.getOrDefault("SEND", 0L) + counts.getOrDefault("SEND_IN_DOUBT", 0L);
        double rate = rateLimit(definition, endpoint);
        BigDecimal costPerCall = definition.defaults().costPerCall();
        Plan plan = new Plan(definition.name(), definition.sourceShown(), endpoint.key(), clock.instant(), rows[0],
                rows[0] - counts.getOrDefault("REJECTED", 0L), counts.getOrDefault("REJECTED", 0L), counts.getOrDefault("ALREADY_DONE", 0L),
                counts.getOrDefault("ALREADY_REJECTED", 0L), counts.getOrDefault("RUNNING_ELSEWHERE", 0L), counts.getOrDefault("NOT_SAMPLED", 0L),
                counts.getOrDefault("DEFERRED", 0L), toSend, counts.getOrDefault("SEND_IN_DOUBT", 0L), definition.sampling().sampling().toString(),
                rate, secondsAt(toSend, rate), costPerCall, costPerCall == null ? null : costPerCall.multiply(BigDecimal.valueOf(toSend)),
                csvFile.toString());
        Path jsonFile = directory.resolve("plan.json");
        Path jsonPartial = directory.resolve("plan.json.partial");
        try {
            Files.writeString(jsonPartial, JSON.writeValueAsString(plan) + System.lineSeparator(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the plan to " + jsonPartial + ": " + e.getMessage(), e);
        }
        move(jsonPartial, jsonFile);
        return plan;
    }

    /** Decides for one chunk of rows in input order (the valid ones asked of the ledger at once) and writes them. */
    private void decide(BluejayEndpoint endpoint, List<MappedCall> chunk, Sampling.Chooser chooser, CSVPrinter csv, Map<String, Long> counts)
            throws IOException {
        List<MappedCall.Accepted> valid = chunk.stream().filter(MappedCall.Accepted.class::isInstance).map(MappedCall.Accepted.class::cast).toList();
        Map<MappedCall.Accepted, Disposition> decided = new java.util.IdentityHashMap<>();
        List<Disposition> dispositions = valid.isEmpty() ? List.of() : ledger.preview(endpoint, valid, chooser);
        for (int i = 0; i < valid.size(); i++) {
            decided.put(valid.get(i), dispositions.get(i));
        }
        for (MappedCall call : chunk) {
            String decision;
            String reason = "";
            if (call instanceof MappedCall.Accepted a) {
                decision = DECISIONS.get(decided.get(a));
            } else {
                decision = "REJECTED";
                reason = ((MappedCall.Rejected) call).reason();
            }
            counts.merge(decision, 1L, Long::sum);
            csv.printRecord(call.source().line(), ReportWriter.safe(call.source().location()), ReportWriter.safe(call.sourceId()), decision,
                    ReportWriter.safe(reason));
        }
    }

    /** The decision a plan names for a disposition (SEND for a call claimed to be sent). */
    private static final Map<Disposition, String> DECISIONS = new EnumMap<>(Map.of(
            Disposition.CLAIMED, "SEND", Disposition.IN_DOUBT_RESENT, "SEND_IN_DOUBT", Disposition.ALREADY_DONE, "ALREADY_DONE",
            Disposition.ALREADY_REJECTED, "ALREADY_REJECTED", Disposition.RUNNING_ELSEWHERE, "RUNNING_ELSEWHERE",
            Disposition.NOT_SAMPLED, "NOT_SAMPLED", Disposition.DEFERRED, "DEFERRED"));

    private static void createDirectories(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the plan to " + directory + ": " + e.getMessage(), e);
        }
    }

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the plan to " + to + ": " + e.getMessage(), e);
        }
    }
}
