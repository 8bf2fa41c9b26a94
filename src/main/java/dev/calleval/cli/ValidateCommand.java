package dev.calleval.cli;

import dev.calleval.enrich.MappedUpdate;
import dev.calleval.enrich.SimulationLog;
import dev.calleval.enrich.SimulationLogMapper;
import dev.calleval.enrich.SimulationLogSource;
import dev.calleval.evaluate.SourceScan;
import dev.calleval.jobfile.JobDefinition;
import dev.calleval.jobfile.JobDefinitions;
import dev.calleval.mapping.MappedCall;
import dev.calleval.s3.S3Storage;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code validate JOB}: maps and validates every row (an enrich job: every log) as {@code run} would, without
 * calling the API or the ledger.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Maps and validates the job's calls (or an enrich job's logs) without calling the API; prints each invalid "
                + "row with file, line, field and reason.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every row is valid", "1:some rows are invalid (listed)", "2:the job or manifest cannot be read"})
class ValidateCommand implements Callable<Integer> {
    @Spec
    @Nullable CommandSpec spec;

    @Parameters(paramLabel = "JOB", description = "a job name from jobs/ or a path to a job YAML")
    String job = "";

    private final JobDefinitions jobs;
    private final S3Storage s3;

    @picocli.CommandLine.Mixin
    JobParameterOptions parameters = new JobParameterOptions();

    private final java.time.Clock clock;

    ValidateCommand(JobDefinitions jobs, S3Storage s3, java.time.Clock clock) {
        this.jobs = jobs;
        this.s3 = s3;
        this.clock = clock;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        JobDefinition definition = jobs.load(job);
        if (definition instanceof JobDefinition.Enrich enrich) {
            return validateEnrich(enrich, out);
        }
        if (definition instanceof JobDefinition.DropFolder) {
            spec.commandLine().getErr().println("calleval: " + definition.name() + " is a drop-folder job: its manifests are checked when dropped");
            return ExitCodes.USAGE;
        }
        if (definition instanceof JobDefinition.SimulateSms) {
            spec.commandLine().getErr().println("calleval: " + definition.name() + " is a simulate-sms job: it has no input to validate");
            return ExitCodes.USAGE;
        }
        return validateEvaluate((JobDefinition.Evaluate) definition.withParameters(parameters.values(), clock), out);
    }

    /** Reads and maps every row of an evaluate job's source as {@code run} would, without sending anything. */
    private int validateEvaluate(JobDefinition.Evaluate definition, PrintWriter out) throws Exception {
        long[] rows = {0, 0, 0}; // read, valid, invalid
        Map<String, Long> formats = new java.util.TreeMap<>();
        SourceScan.forEachRow(definition, s3, w -> {
            spec.commandLine().getErr().println("calleval: warning: " + w);
            spec.commandLine().getErr().flush();
        }, (record, call, duplicate) -> {
            rows[0]++;
            if (call instanceof MappedCall.Accepted a) {
                rows[1]++;
                if (a.transcriptFormat() != null) {
                    formats.merge(a.transcriptFormat().id(), 1L, Long::sum);
                    out.printf("valid   %s (%s): transcript %s, %s%n", a.source(), a.sourceId(), record.value("transcript").orElse(""),
                            a.transcriptFormat().id());
                }
            } else if (call instanceof MappedCall.Rejected r) {
                rows[2]++;
                out.printf("INVALID %s (%s): %s%n", r.source(), r.sourceId() == null ? "no call_id" : r.sourceId(), r.reason());
            }
        });
        out.printf("%s: %d row(s), %d valid, %d invalid%s%n", definition.sourceShown(), rows[0], rows[1], rows[2],
                formats.isEmpty() ? "" : "; transcript formats: " + formats.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                        .collect(java.util.stream.Collectors.joining(", ")));
        return rows[2] == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** Reads and checks every log of an enrich job as {@code enrich} would; a second log for one result is invalid too. */
    private int validateEnrich(JobDefinition.Enrich definition, PrintWriter out) {
        SimulationLogSource source = SimulationLogSource.of(definition.enrichLocation(), definition.enrich().sourceType());
        SimulationLogMapper mapper = new SimulationLogMapper();
        long logs = 0;
        long valid = 0;
        Map<String, String> firstSeen = new HashMap<>();
        try (java.util.stream.Stream<SimulationLog> stream = source.logs()) {
            for (SimulationLog log : (Iterable<SimulationLog>) stream::iterator) {
                logs++;
                MappedUpdate update = mapper.process(log);
                String first = update.resultId() == null ? null : firstSeen.putIfAbsent(update.resultId(), log.file());
                if (first != null) {
                    out.printf("INVALID %s: simulation_result_id: simulation result %s was already read from %s%n", log.file(), update.resultId(), first);
                } else if (update instanceof MappedUpdate.Rejected r) {
                    out.printf("INVALID %s%n", r.message());
                } else {
                    valid++;
                }
            }
        }
        out.printf("%s: %d log(s), %d valid, %d invalid%n", source.location(), logs, valid, logs - valid);
        return logs == valid ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
