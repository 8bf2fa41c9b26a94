package dev.calleval.cli;

import dev.calleval.jobfile.JobDefinitions;
import dev.calleval.jobfile.JobFileException;
import dev.calleval.jobfile.QualitySettings;
import dev.calleval.reconciliation.Reconciler;
import dev.calleval.report.ExecutionHistory;
import dev.calleval.report.ReportWriter;
import dev.calleval.report.RunSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.job.JobExecution;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code report EXECUTION | --job JOB}: prints or writes the report of one evaluate job execution, from the database
 * (the ledger and the job repository), as it is now. Webhook results waiting in the inbox are applied first, so a
 * report asked for hours after the run shows the results that have arrived since.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Prints or writes the report of one evaluate job execution from the database, as it is now "
                + "(results that arrived after the run included; webhook events waiting in the inbox are applied first).",
                "Formats: json (summary.json, the default), csv (calls.csv), rejects-csv (rejects.csv), html (report.html).",
                "--output-dir writes all four files to DIR/<job>/<execution id>/, as 'run' does."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed or written", "2:bad usage (EXECUTION and --job both or neither, unknown format, an enrich job's execution)",
                "3:no such execution, or the job has no execution"})
class ReportCommand implements Callable<Integer> {
    @Spec
    @Nullable CommandSpec spec;

    @Parameters(paramLabel = "EXECUTION", arity = "0..1", description = "the job execution id (as 'run' and 'status' print it)")
    @Nullable Long executionId;

    @Option(names = "--job", paramLabel = "JOB", description = "the last execution of this job (its name, as in the job file)")
    @Nullable String job;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "json",
            description = "json, csv, rejects-csv or html (default: ${DEFAULT-VALUE})")
    String format = "json";

    @Option(names = "--output", paramLabel = "FILE", description = "write to this file instead of standard output")
    @Nullable Path output;

    @Option(names = "--output-dir", paramLabel = "DIR", description = "write calls.csv, rejects.csv, summary.json and report.html to DIR/<job>/<execution id>/")
    @Nullable Path outputDir;

    private final ExecutionHistory history;
    private final ReportWriter reports;
    private final Reconciler reconciler;
    private final JobDefinitions jobs;

    ReportCommand(ExecutionHistory history, ReportWriter reports, Reconciler reconciler, JobDefinitions jobs) {
        this.history = history;
        this.reports = reports;
        this.reconciler = reconciler;
        this.jobs = jobs;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec().commandLine().getOut();
        PrintWriter err = spec().commandLine().getErr();
        if ((executionId == null) == (job == null)) {
            err.println("calleval: name one execution: an EXECUTION id, or --job JOB for its last execution");
            return ExitCodes.USAGE;
        }
        String fmt = format.toLowerCase(Locale.ROOT);
        if (!fmt.equals("json") && !fmt.equals("csv") && !fmt.equals("rejects-csv") && !fmt.equals("html")) {
            err.printf("calleval: unknown --format '%s'; use json, csv, rejects-csv or html%n", format);
            return ExitCodes.USAGE;
        }
        if (output != null && outputDir != null) {
            err.println("calleval: give --output FILE (one format) or --output-dir DIR (every file), not both");
            return ExitCodes.USAGE;
        }
        Optional<JobExecution> found = executionId != null ? history.find(executionId) : history.last(job);
        if (found.isEmpty()) {
            err.println(executionId != null ? "calleval: no job execution " + executionId + " in this database (see 'calleval status')"
                    : "calleval: job '" + job + "' has no execution in this database (see 'calleval status')");
            return ExitCodes.NOT_FOUND;
        }
        JobExecution execution = found.get();
        String jobName = execution.getJobInstance().getJobName();
        if (!history.isEvaluate(execution)) {
            err.printf("calleval: execution %d of %s is not an evaluate job execution (an enrich run's report is the one it wrote: "
                    + "<report directory>/%s/%d/)%n", execution.getId(), jobName, jobName, execution.getId());
            return ExitCodes.USAGE;
        }
        reconciler.processInbox();
        ReportWriter.ExecutionInfo info = history.describe(execution);
        QualitySettings quality;
        try {
            quality = JobQuality.of(jobs, jobName); // the trend section is judged by the job file's quality: section
        } catch (JobFileException e) {
            err.println("calleval: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        if (outputDir != null) {
            RunSummary summary = reports.write(outputDir, info, quality);
            out.printf("report of %s execution %d written to %s/ (calls.csv, rejects.csv, summary.json, report.html)%n",
                    jobName, execution.getId(), summary.reportDirectory());
            out.flush();
            return ExitCodes.OK;
        }
        Path reportDir = history.reportDirectory(execution).orElse(Path.of("reports")).resolve(jobName).resolve(Long.toString(execution.getId()));
        RunSummary summary = reports.summarize(info, reportDir);
        if (output == null) {
            write(out, fmt, summary, execution.getId(), Path.of("").toAbsolutePath(), quality);
            out.flush();
            return ExitCodes.OK;
        }
        Path target = output.toAbsolutePath();
        if (target.getParent() != null) {
            Files.createDirectories(target.getParent());
        }
        try (Writer file = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
            write(file, fmt, summary, execution.getId(), target.getParent() == null ? Path.of("").toAbsolutePath() : target.getParent(), quality);
        }
        out.printf("%s of %s execution %d written to %s%n", fmt, jobName, execution.getId(), output);
        out.flush();
        return ExitCodes.OK;
    }

    private void write(Writer out, String fmt, RunSummary summary, long id, Path pageDirectory, @Nullable QualitySettings quality)
            throws IOException {
        switch (fmt) {
            case "csv" -> reports.writeCalls(out, id);
            case "rejects-csv" -> reports.writeRejects(out, id);
            case "html" -> reports.writeHtml(out, summary, pageDirectory, quality);
            default -> reports.writeSummary(out, summary);
        }
    }

    private CommandSpec spec() {
        if (spec == null) {
            throw new IllegalStateException("picocli did not inject the command spec");
        }
        return spec;
    }
}
