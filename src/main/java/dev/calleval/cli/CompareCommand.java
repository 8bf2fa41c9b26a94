package dev.calleval.cli;

import dev.calleval.jobfile.JobDefinitions;
import dev.calleval.jobfile.JobFileException;
import dev.calleval.jobfile.QualitySettings;
import dev.calleval.quality.Alerts;
import dev.calleval.quality.CompareResult;
import dev.calleval.quality.Comparison;
import dev.calleval.quality.Nights;
import dev.calleval.quality.QualityRecords.ExecutionRef;
import dev.calleval.quality.Threshold;
import dev.calleval.quality.Thresholds;
import dev.calleval.reconciliation.Reconciler;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code compare BASELINE CANDIDATE | --job JOB [--baseline-last N]}: compares the evaluated calls of two job
 * executions (or of a job's last completed execution with the N before it, pooled) per agent, label and optionally a
 * metadata key; prints a table or JSON; exits 1 when a figure regressed beyond its threshold (the rule of
 * {@link Comparison}) and tells the alert URL when one is configured. docs/compare-and-alerts.md.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compares the results of job executions: a candidate against a baseline, per agent, label and (--by) a metadata key: "
                + "goal success and hallucination rates (two-proportion z-test), latency p50/p90 (descriptive), each custom metric's pass "
                + "rate or mean (Welch t-test).",
                "A figure that moved beyond its threshold in its bad direction, significantly where a test applies, is a regression: "
                        + "exit 1, and the alert URL (calleval.alerts.url) is told.",
                "Thresholds: --max-drop/--max-rise METRIC=AMOUNT (AMOUNT 5pp, 20% or a number in the figure's unit); else the job "
                        + "file's quality: section; else max-drop goal_success=5pp, max-rise hallucination=3pp, max-rise latency_p90=20%."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no regression", "1:a regression", "2:bad usage (ids and --job both or neither, a malformed threshold)",
                "3:no such execution, or the job has no completed execution or none before its last"})
class CompareCommand implements Callable<Integer> {
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    @Spec
    @Nullable CommandSpec spec;

    @Parameters(paramLabel = "EXECUTION", arity = "0..2", description = "BASELINE CANDIDATE: two job execution ids (as 'run' and 'status' print them)")
    List<Long> executions = new ArrayList<>();

    @Option(names = "--job", paramLabel = "JOB", description = "the job's last completed execution against the ones before it")
    @Nullable String job;

    @Option(names = "--baseline-last", paramLabel = "N", description = "with --job: how many completed executions before the last make the "
            + "baseline, pooled (default: the job file's quality.baseline-last, else 7)")
    @Nullable Integer baselineLast;

    @Option(names = "--by", paramLabel = "KEY", description = "also group by this metadata key (e.g. queue)")
    @Nullable String by;

    @Option(names = "--max-drop", paramLabel = "METRIC=AMOUNT", description = "a figure that must not fall more, e.g. goal_success=5pp (repeatable)")
    List<String> maxDrop = new ArrayList<>();

    @Option(names = "--max-rise", paramLabel = "METRIC=AMOUNT", description = "a figure that must not rise more, e.g. latency_p90=20% (repeatable)")
    List<String> maxRise = new ArrayList<>();

    @Option(names = "--alpha", paramLabel = "A", description = "the significance level (default: the job file's quality.alpha, else 0.05)")
    @Nullable Double alpha;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE})")
    String format = "table";

    @Option(names = "--no-alert", description = "do not tell the alert URL, even on a regression")
    boolean noAlert;

    private final Nights nights;
    private final JobDefinitions jobs;
    private final Reconciler reconciler;
    private final Alerts alerts;

    CompareCommand(Nights nights, JobDefinitions jobs, Reconciler reconciler, Alerts alerts) {
        this.nights = nights;
        this.jobs = jobs;
        this.reconciler = reconciler;
        this.alerts = alerts;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec().commandLine().getOut();
        PrintWriter err = spec().commandLine().getErr();
        if ((job == null) == executions.isEmpty() || (job == null && executions.size() != 2)) {
            err.println("calleval: compare BASELINE CANDIDATE (two execution ids) or compare --job JOB, not both");
            return ExitCodes.USAGE;
        }
        String fmt = format.toLowerCase(Locale.ROOT);
        if (!fmt.equals("table") && !fmt.equals("json")) {
            err.printf("calleval: unknown --format '%s'; use table or json%n", format);
            return ExitCodes.USAGE;
        }
        if (baselineLast != null && (job == null || baselineLast < 1 || baselineLast > 100)) {
            err.println("calleval: --baseline-last N goes with --job and is 1-100");
            return ExitCodes.USAGE;
        }
        if (by != null && by.isBlank()) {
            err.println("calleval: --by names a metadata key, e.g. --by queue");
            return ExitCodes.USAGE;
        }
        reconciler.processInbox();
        List<Long> baseline = List.of();
        long candidate = 0;
        String jobName;
        if (job == null) {
            Optional<ExecutionRef> before = nights.records().execution(executions.get(0));
            Optional<ExecutionRef> after = nights.records().execution(executions.get(1));
            if (before.isEmpty() || after.isEmpty()) {
                err.println("calleval: no job execution " + (before.isEmpty() ? executions.get(0) : executions.get(1))
                        + " in this database (see 'calleval status')");
                return ExitCodes.NOT_FOUND;
            }
            baseline = List.of(before.get().id());
            candidate = after.get().id();
            jobName = after.get().job();
        } else {
            jobName = job;
        }
        Comparison comparison;
        int last;
        try {
            QualitySettings quality = JobQuality.of(jobs, jobName);
            comparison = comparison(quality);
            last = baselineLast != null ? baselineLast : quality != null ? quality.baselineLast() : QualitySettings.DEFAULT_BASELINE_LAST;
        } catch (IllegalArgumentException | JobFileException e) {
            err.println("calleval: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        if (job != null) {
            List<ExecutionRef> completed = nights.records().completedExecutions(job, null, last + 1);
            if (completed.size() < 2) {
                err.println("calleval: job '" + job + "' has " + (completed.isEmpty() ? "no completed execution" : "one completed execution ("
                        + completed.get(0).id() + ") and none before it to compare with") + " in this database (see 'calleval status')");
                return ExitCodes.NOT_FOUND;
            }
            candidate = completed.get(0).id();
            baseline = completed.subList(1, completed.size()).stream().map(ExecutionRef::id).sorted().toList();
        }
        CompareResult result = nights.compare(jobName, baseline, candidate, by, comparison);
        if (fmt.equals("json")) {
            out.println(JSON.writeValueAsString(result.toJson()));
        } else {
            out.print(result.table());
        }
        out.flush();
        if (!result.regressions().isEmpty() && !noAlert) {
            alerts.send(result);
        }
        return result.regressions().isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** The thresholds: the options, else the job file's quality: section, else the defaults; likewise alpha. */
    private Comparison comparison(@Nullable QualitySettings quality) {
        List<Threshold> given = new ArrayList<>();
        maxDrop.forEach(t -> given.add(Threshold.parse(Threshold.Direction.DROP, t)));
        maxRise.forEach(t -> given.add(Threshold.parse(Threshold.Direction.RISE, t)));
        Comparison fromFile = quality != null ? quality.comparison() : null;
        Thresholds thresholds = !given.isEmpty() ? new Thresholds(given) : fromFile != null ? fromFile.thresholds() : Thresholds.DEFAULTS;
        double a = alpha != null ? alpha : fromFile != null ? fromFile.alpha() : Comparison.DEFAULT_ALPHA;
        if (!(a > 0 && a < 1)) {
            throw new IllegalArgumentException("--alpha must be between 0 and 1 (e.g. 0.05), got " + a);
        }
        return new Comparison(thresholds, a);
    }

    private CommandSpec spec() {
        if (spec == null) {
            throw new IllegalStateException("picocli did not inject the command spec");
        }
        return spec;
    }
}
