package dev.calleval.cli;

import dev.calleval.export.CallExport;
import dev.calleval.export.ExportFormat;
import dev.calleval.export.ExportScope;
import dev.calleval.reconciliation.Reconciler;
import dev.calleval.report.ExecutionHistory;
import dev.calleval.s3.S3Location;
import dev.calleval.s3.S3Storage;
import dev.calleval.s3.S3Upload;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code export (EXECUTION | --job JOB [--since DATE] [--until DATE]) --format csv|jsonl [--output FILE | s3://...]}:
 * one record per call from the ledger (docs/export.md), streamed to standard output, a file or S3. Webhook results
 * waiting in the inbox are applied first, as {@code report} does.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Exports one record per call — provenance, Bluejay ids and status, every evaluation field and custom metric, "
                + "the submission history — as CSV or JSON Lines, to standard output, a file or S3 (docs/export.md).",
                "EXECUTION: the calls that job execution read, in input order. --job: the job's calls whose result (else submission) "
                + "time is in [--since, --until), UTC."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:exported", "1:the output or the database failed", "2:bad usage (EXECUTION and --job both or neither, "
                + "--since/--until with an EXECUTION, an unknown format, a bad date, an enrich job's execution)",
                "3:no such execution, or no call of the job"})
class ExportCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ExportCommand.class);

    @Spec
    @Nullable CommandSpec spec;

    @Parameters(paramLabel = "EXECUTION", arity = "0..1", description = "the job execution id (as 'run' and 'status' print it)")
    @Nullable Long executionId;

    @Option(names = "--job", paramLabel = "JOB", description = "the job's calls (its name, as in the job file)")
    @Nullable String job;

    @Option(names = "--since", paramLabel = "DATE", description = "with --job: from this UTC day (YYYY-MM-DD) or instant on, included")
    @Nullable String since;

    @Option(names = "--until", paramLabel = "DATE", description = "with --job: up to this UTC day or instant, excluded")
    @Nullable String until;

    @Option(names = "--format", paramLabel = "FORMAT", required = true, description = "csv or jsonl")
    String format = "";

    @Option(names = "--output", paramLabel = "FILE|s3://bucket/prefix/",
            description = "write to this file, or to S3: under a prefix (ending in /) as <prefix><job>/<execution id or window>.<format>; "
                    + "default: standard output")
    @Nullable String output;

    private final CallExport export;
    private final ExecutionHistory history;
    private final Reconciler reconciler;
    private final S3Storage s3;

    ExportCommand(CallExport export, ExecutionHistory history, Reconciler reconciler, S3Storage s3) {
        this.export = export;
        this.history = history;
        this.reconciler = reconciler;
        this.s3 = s3;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec().commandLine().getOut();
        PrintWriter err = spec().commandLine().getErr();
        if ((executionId == null) == (job == null)) {
            err.println("calleval: name what to export: an EXECUTION id, or --job JOB");
            return ExitCodes.USAGE;
        }
        if (executionId != null && (since != null || until != null)) {
            err.println("calleval: --since and --until go with --job JOB; an EXECUTION is exported whole");
            return ExitCodes.USAGE;
        }
        ExportFormat fmt;
        ExportScope.JobWindow window = null;
        S3Location s3Output = null;
        try {
            fmt = ExportFormat.parse(format);
            if (job != null) {
                window = ExportScope.JobWindow.of(job, since, until);
            }
            if (output != null && S3Location.isS3(output)) {
                s3Output = S3Location.parse(output);
            }
        } catch (IllegalArgumentException e) {
            err.println("calleval: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        ExportScope scope;
        if (executionId != null) {
            Optional<JobExecution> found = history.find(executionId);
            if (found.isEmpty()) {
                err.println("calleval: no job execution " + executionId + " in this database (see 'calleval status')");
                return ExitCodes.NOT_FOUND;
            }
            String jobName = found.get().getJobInstance().getJobName();
            if (!history.isEvaluate(found.get())) {
                err.printf("calleval: execution %d of %s is not an evaluate job execution: it sent no calls to export%n", executionId, jobName);
                return ExitCodes.USAGE;
            }
            scope = new ExportScope.Execution(jobName, executionId);
        } else {
            if (!export.hasCalls(job) && history.last(job).isEmpty()) {
                err.println("calleval: job '" + job + "' has no calls in this database (see 'calleval status')");
                return ExitCodes.NOT_FOUND;
            }
            scope = window;
        }
        reconciler.processInbox();
        if (output == null) {
            long n = export.export(scope, fmt, out);
            log.info("exported {} calls of {}", n, scope.describe());
            return ExitCodes.OK;
        }
        String written = s3Output != null ? toS3(scope, fmt, s3Output) : toFile(scope, fmt, Path.of(output));
        out.println(written);
        out.flush();
        return ExitCodes.OK;
    }

    /** Writes to {@code FILE.part} beside the file and moves it into place at the end: a failed export leaves no half file. */
    private String toFile(ExportScope scope, ExportFormat fmt, Path file) throws IOException {
        Path target = file.toAbsolutePath();
        if (target.getParent() != null) {
            Files.createDirectories(target.getParent());
        }
        Path part = target.resolveSibling(target.getFileName() + ".part");
        long n;
        try (Writer w = Files.newBufferedWriter(part, StandardCharsets.UTF_8)) {
            n = export.export(scope, fmt, w);
        } catch (RuntimeException | IOException e) {
            Files.deleteIfExists(part);
            throw e;
        }
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return "exported " + n + " calls of " + scope.describe() + " to " + file;
    }

    /** Streams to one S3 object (multipart upload); the object appears only when the whole export is written. */
    private String toS3(ExportScope scope, ExportFormat fmt, S3Location location) throws IOException {
        S3Location target = CallExport.objectFor(location, scope, fmt);
        S3Upload upload = s3.openUpload(target, fmt.contentType());
        long n;
        try {
            Writer w = new BufferedWriter(new OutputStreamWriter(upload, StandardCharsets.UTF_8), 64 * 1024);
            n = export.export(scope, fmt, w);
            w.flush();
            upload.close();
        } catch (RuntimeException | IOException e) {
            upload.abort();
            throw e;
        }
        return "exported " + n + " calls of " + scope.describe() + " to " + target;
    }

    private CommandSpec spec() {
        if (spec == null) {
            throw new IllegalStateException("picocli did not inject the command spec");
        }
        return spec;
    }
}
