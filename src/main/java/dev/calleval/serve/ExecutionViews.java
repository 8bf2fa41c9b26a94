package dev.calleval.serve;

import dev.calleval.enrich.EnrichReportWriter;
import dev.calleval.jobfile.JobDefinition;
import dev.calleval.jobfile.Schedule;
import dev.calleval.jobfile.SourceSettings;
import dev.calleval.report.ExecutionHistory;
import dev.calleval.report.ReportWriter;
import dev.calleval.report.RunSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * What the launch API shows about job executions and jobs, read from the job repository and the ledgers as they
 * stand now: the counts of an execution keep changing after it ends, as results arrive.
 */
@Component
@Profile("serve")
class ExecutionViews {
    private final JobRepository jobRepository;
    private final ReportWriter reportWriter;
    private final EnrichReportWriter enrichReportWriter;
    private final JobLaunches launches;
    private final Clock clock;

    ExecutionViews(JobRepository jobRepository, ReportWriter reportWriter, EnrichReportWriter enrichReportWriter, JobLaunches launches, Clock clock) {
        this.jobRepository = jobRepository;
        this.reportWriter = reportWriter;
        this.enrichReportWriter = enrichReportWriter;
        this.launches = launches;
        this.clock = clock;
    }

    /**
     * One job execution ({@code GET /api/executions/{id}}).
     *
     * @param kind {@code evaluate} or {@code enrich}
     * @param rowsRead rows (evaluate) or logs (enrich) read so far
     * @param submittedThisRun evaluate: calls this execution sent that Bluejay accepted
     * @param counts where each row read is now: as {@code counts} of {@code summary.json} (evaluate: evaluated,
     *     incomplete, waiting_for_result, overdue, failed, in_doubt, rejected, already_done, in_doubt_resent; enrich:
     *     posted, already_posted, rejected, failed, in_doubt, ...)
     * @param countsAddUp whether the counts add up to the rows read (false while rows are in flight)
     * @param reportDirectory where its report is, once it has ended
     */
    record ExecutionView(long executionId, String job, String kind, String status, String exitCode, @Nullable String exitDescription,
            @Nullable Instant startTime, @Nullable Instant endTime, @Nullable String source, long rowsRead, @Nullable Long submittedThisRun,
            Object counts, boolean countsAddUp, @Nullable String reportDirectory) {}

    /** A job's schedule and when it fires next. */
    record ScheduleView(String cron, String zone, @Nullable Instant nextFireTime) {}

    /** An execution in a job listing. */
    record ExecutionRef(long executionId, String status, @Nullable Instant startTime, @Nullable Instant endTime) {}

    /**
     * A job parameter a launch may give ({@code POST /api/jobs/{name}/executions} body).
     *
     * @param name {@code source} or {@code date}
     * @param format how the value is written, e.g. {@code yyyy-MM-dd}
     * @param defaultValue what the launch uses without it, in words (e.g. {@code yesterday in UTC})
     */
    record ParameterView(String name, String format, String defaultValue) {}

    /**
     * A job of the jobs folder ({@code GET /api/jobs}).
     *
     * @param name the name it is launched by (the job file's name)
     * @param kind evaluate, enrich, simulate-sms or drop-folder (the last two cannot be launched here)
     * @param source the file or folder it reads, as written in the job file (absolute); for an {@code s3-prefix} source
     *     the prefix template, whose {@code {date}} each launch fills in
     * @param parameters the job parameters a launch may give, with what it uses without them (empty: not launchable)
     * @param running executions of it started by this serve process that have not ended
     */
    record JobView(String name, String kind, @Nullable String description, @Nullable String source, List<ParameterView> parameters,
            @Nullable ScheduleView schedule, @Nullable ExecutionRef lastExecution, List<Long> running) {}

    /** The execution with this id, or empty when the job repository has none. */
    Optional<ExecutionView> execution(long executionId) {
        JobExecution execution;
        try {
            execution = jobRepository.getJobExecution(executionId);
        } catch (org.springframework.dao.EmptyResultDataAccessException e) {
            execution = null; // Spring Batch 6 throws instead of returning null for an unknown id
        }
        if (execution == null) {
            return Optional.empty();
        }
        String jobName = execution.getJobInstance().getJobName();
        JobDefinition definition = launches.jobs().values().stream().filter(d -> d.name().equals(jobName)).findFirst().orElse(null);
        boolean enrich = execution.getStepExecutions().stream().anyMatch(s -> s.getStepName().equals("enrich"))
                || (execution.getStepExecutions().isEmpty() && definition instanceof JobDefinition.Enrich);
        StepExecution step = execution.getStepExecutions().stream().filter(s -> s.getStepName().equals(enrich ? "enrich" : "submit"))
                .findFirst().orElse(null);
        long read = step == null ? 0 : step.getReadCount();
        Path reports = definition == null ? null : definition.report().localPath().resolve(jobName).resolve(Long.toString(executionId));
        String reportDirectory = reports != null && Files.isDirectory(reports) ? reports.toString() : null;
        Instant start = ExecutionHistory.instant(execution.getStartTime());
        Instant end = ExecutionHistory.instant(execution.getEndTime());
        String source = execution.getJobParameters().getString("source");
        if (enrich) {
            var counts = enrichReportWriter.counts(executionId);
            return Optional.of(new ExecutionView(executionId, jobName, "enrich", execution.getStatus().name(), execution.getExitStatus().getExitCode(),
                    ExecutionHistory.exitDescription(execution, true), start, end, source, read, null, counts, counts.total() == read, reportDirectory));
        }
        RunSummary summary = reportWriter.summarize(new ReportWriter.ExecutionInfo(jobName, executionId, execution.getStatus().name(),
                ExecutionHistory.exitDescription(execution, false), start, end, source == null ? "" : source,
                execution.getJobParameters().getString(ExecutionHistory.ENDPOINT), read,
                new RunSummary.Requests(0, 0, 0, 0)), reports == null ? Path.of("") : reports);
        return Optional.of(new ExecutionView(executionId, jobName, "evaluate", summary.status(), execution.getExitStatus().getExitCode(),
                summary.exitDescription(), start, end, source, read, summary.submittedThisRun(), summary.counts(), summary.countsAddUp(),
                reportDirectory));
    }

    /** Every job serve knows, with its schedule, last execution and running executions. */
    List<JobView> jobs() {
        Map<String, List<Long>> running = new java.util.HashMap<>();
        launches.running().forEach(l -> running.computeIfAbsent(l.jobName(), k -> new ArrayList<>()).add(l.executionId()));
        List<JobView> views = new ArrayList<>();
        launches.jobs().forEach((name, definition) -> {
            Schedule schedule = definition.schedule();
            ScheduleView scheduleView = schedule == null ? null : new ScheduleView(schedule.cron(), schedule.zone(), nextFire(schedule));
            views.add(new JobView(name, definition.kind().name().toLowerCase().replace('_', '-'), definition.description(), source(definition),
                    parameters(definition), scheduleView, lastExecution(definition.name()),
                    running.getOrDefault(name, List.of()).stream().sorted().toList()));
        });
        return views;
    }

    /** What the job reads as written: an s3-prefix source's template is shown as is (its date is the launch's). */
    private static @Nullable String source(JobDefinition definition) {
        if (definition instanceof JobDefinition.Evaluate e) {
            return e.source().isS3Prefix() ? e.source().location() : e.sourceKey();
        }
        return definition instanceof JobDefinition.Enrich e ? e.sourceKey() : null; // simulate-sms and drop-folder jobs read no source
    }

    /** The parameters of {@link JobDefinition#withParameters} this job takes, with their defaults. */
    private static List<ParameterView> parameters(JobDefinition definition) {
        if (definition instanceof JobDefinition.Enrich) {
            return List.of(new ParameterView("source", "a folder or file of simulation logs: a path or s3:// location",
                    "the job file's enrich.location"));
        }
        if (!(definition instanceof JobDefinition.Evaluate e)) {
            return List.of(); // simulate-sms and drop-folder jobs are not launched
        }
        SourceSettings source = e.source();
        if (!source.isS3Prefix()) {
            return List.of(new ParameterView("source", "a manifest: a path or s3:// location", "the job file's source.location"));
        }
        return List.of(new ParameterView("source", "an s3:// prefix, which may hold {date:...}", "the job file's source.location"),
                new ParameterView("date", "yyyy-MM-dd", source.date() != null ? source.date() + " (source.date)"
                        : "yesterday in " + source.zone() + " (source.zone)"));
    }

    private @Nullable Instant nextFire(Schedule schedule) {
        var next = schedule.next(clock.instant());
        return next == null ? null : next.toInstant();
    }

    private @Nullable ExecutionRef lastExecution(String jobName) {
        List<JobInstance> instances = jobRepository.getJobInstances(jobName, 0, 1);
        if (instances.isEmpty()) {
            return null;
        }
        JobExecution last = jobRepository.getLastJobExecution(instances.get(0));
        return last == null ? null : new ExecutionRef(last.getId(), last.getStatus().name(), ExecutionHistory.instant(last.getStartTime()),
                ExecutionHistory.instant(last.getEndTime()));
    }
}
