package dev.calleval.report;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.stereotype.Component;

/**
 * Evaluate job executions as the job repository keeps them, described for their reports, so that a report can be
 * written again from the database alone ({@code calleval report}).
 *
 * <p>What Spring Batch does not keep by itself is saved in the job execution's context when the run ends
 * ({@link #record}): the source as the job file names it, the report directory, and the run's HTTP request counts.
 * An execution from before this was saved is described with its {@code source} job parameter and zero requests.
 */
@Component
public class ExecutionHistory {
    /**
     * The job parameter (not identifying) that names the Bluejay endpoint an execution sends to: {@code sandbox} or a
     * normalised base URL ({@code BluejayEndpoint#key}). Absent for executions from before it was recorded.
     */
    public static final String ENDPOINT = "endpoint";
    static final String SOURCE = "calleval.source";
    static final String REPORT_DIRECTORY = "calleval.report.directory";
    static final String ATTEMPTS = "calleval.requests.attempts";
    static final String TOO_MANY_REQUESTS = "calleval.requests.429";
    static final String RETRIES = "calleval.requests.retries";
    static final String IN_DOUBT = "calleval.requests.in-doubt";
    /** The step of an evaluate job that reads the input; an execution without it is another kind of job. */
    static final String SUBMIT_STEP = "submit";

    private final JobRepository jobRepository;

    public ExecutionHistory(JobRepository jobRepository) {
        this.jobRepository = jobRepository;
    }

    /**
     * Saves in the execution's context what its report needs beyond Spring Batch's own records, and returns the
     * execution described.
     *
     * @param source the source as the job file names it, e.g. {@code ../sample-data/manifests/calls.csv}
     * @param reportDirectory the job's {@code report.directory}
     */
    public ReportWriter.ExecutionInfo record(JobExecution execution, String source, Path reportDirectory, RunSummary.Requests requests) {
        ExecutionContext context = execution.getExecutionContext();
        context.putString(SOURCE, source);
        context.putString(REPORT_DIRECTORY, reportDirectory.toString());
        context.putLong(ATTEMPTS, requests.attempts());
        context.putLong(TOO_MANY_REQUESTS, requests.tooManyRequests());
        context.putLong(RETRIES, requests.retries());
        context.putLong(IN_DOUBT, requests.inDoubt());
        jobRepository.updateExecutionContext(execution);
        return describe(execution);
    }

    /** The job execution with this id, if the repository has it. */
    public Optional<JobExecution> find(long executionId) {
        try {
            return Optional.ofNullable(jobRepository.getJobExecution(executionId));
        } catch (EmptyResultDataAccessException e) {
            return Optional.empty(); // the JDBC job repository's answer to an unknown id
        }
    }

    /** The newest execution of the job's newest instance (a restart is a new execution of its instance). */
    public Optional<JobExecution> last(String jobName) {
        JobInstance instance = jobRepository.getLastJobInstance(jobName);
        return instance == null ? Optional.empty() : Optional.ofNullable(jobRepository.getLastJobExecution(instance));
    }

    /** True for an execution of an evaluate job (one with a {@code submit} step); enrich jobs have their own reports. */
    public boolean isEvaluate(JobExecution execution) {
        return step(execution, SUBMIT_STEP) != null;
    }

    /** The report directory the run wrote to ({@code report.directory} of its job file), when it was saved. */
    public Optional<Path> reportDirectory(JobExecution execution) {
        String dir = execution.getExecutionContext().getString(REPORT_DIRECTORY, "");
        return dir.isEmpty() ? Optional.empty() : Optional.of(Path.of(dir));
    }

    /** The execution as its report describes it: job, status, why it ended, times, source, endpoint, rows read, requests. */
    public ReportWriter.ExecutionInfo describe(JobExecution execution) {
        ExecutionContext context = execution.getExecutionContext();
        String parameterSource = execution.getJobParameters().getString("source");
        String source = context.getString(SOURCE, parameterSource == null ? "" : parameterSource);
        StepExecution submit = step(execution, SUBMIT_STEP);
        RunSummary.Requests requests = new RunSummary.Requests(context.getLong(ATTEMPTS, 0), context.getLong(TOO_MANY_REQUESTS, 0),
                context.getLong(RETRIES, 0), context.getLong(IN_DOUBT, 0));
        return new ReportWriter.ExecutionInfo(execution.getJobInstance().getJobName(), execution.getId(), execution.getStatus().name(),
                withoutStackTrace(exitDescription(execution, false)), instant(execution.getStartTime()), instant(execution.getEndTime()), source,
                execution.getJobParameters().getString(ENDPOINT), submit == null ? 0 : submit.getReadCount(), requests);
    }

    /**
     * An exit description as the job repository stores it for a failure (the exception's stack trace) shortened to
     * its root cause's message; any other text is returned as it is.
     */
    static @Nullable String withoutStackTrace(@Nullable String description) {
        if (description == null || !description.contains("\n\tat ")) {
            return description;
        }
        String cause = description.lines().findFirst().orElse("");
        for (String line : description.lines().toList()) {
            if (line.startsWith("Caused by: ")) {
                cause = line.substring("Caused by: ".length());
            }
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^[\\w.$]+(?:Exception|Error)(?:: (.*))?$").matcher(cause.strip());
        return m.matches() ? (m.group(1) == null ? cause.strip() : m.group(1)) : cause.strip();
    }

    /** The step of this name of the execution, or null when it has none (yet). */
    public static @Nullable StepExecution step(JobExecution execution, String name) {
        return execution.getStepExecutions().stream().filter(s -> s.getStepName().equals(name)).findFirst().orElse(null);
    }

    /** A time of the job repository (local time of this JVM) as an instant. */
    public static @Nullable Instant instant(@Nullable LocalDateTime time) {
        return time == null ? null : time.atZone(ZoneId.systemDefault()).toInstant();
    }

    /**
     * Why the execution ended as it did: the root causes of its failures, else its exit description, else (with
     * {@code fromSteps}) the first step's exit description.
     */
    public static @Nullable String exitDescription(JobExecution execution, boolean fromSteps) {
        String failure = execution.getAllFailureExceptions().stream().map(ExecutionHistory::rootMessage).filter(Objects::nonNull).distinct()
                .collect(Collectors.joining("; "));
        if (!failure.isEmpty()) {
            return failure;
        }
        String description = emptyToNull(execution.getExitStatus().getExitDescription());
        if (description == null && fromSteps) {
            description = execution.getStepExecutions().stream().map(s -> emptyToNull(s.getExitStatus().getExitDescription()))
                    .filter(Objects::nonNull).findFirst().orElse(null);
        }
        return description;
    }

    /**
     * The message that says what went wrong, not which layer noticed: that of the innermost calleval exception (which
     * words it for an operator, e.g. a database outage past its tolerance or the API key refused), else of the
     * innermost cause. The evaluate job's {@code SubmissionWriter.RunStoppedException} only wraps its cause, so it is
     * passed over (named here, not imported: report/ does not depend on the jobs it reports on).
     */
    static @Nullable String rootMessage(Throwable failure) {
        Throwable t = failure;
        Throwable ours = null;
        while (true) {
            if (t.getClass().getName().startsWith("dev.calleval.") && t.getMessage() != null) {
                ours = t;
            }
            if (t.getCause() == null || t.getCause() == t) {
                break;
            }
            t = t.getCause();
        }
        if (ours != null && !ours.getClass().getName().equals(RUN_STOPPED)) {
            return ours.getMessage();
        }
        return t.getMessage() != null ? t.getMessage() : failure.getMessage();
    }

    private static final String RUN_STOPPED = "dev.calleval.evaluate.SubmissionWriter$RunStoppedException";

    private static @Nullable String emptyToNull(@Nullable String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
