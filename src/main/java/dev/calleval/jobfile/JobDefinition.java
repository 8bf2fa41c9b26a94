package dev.calleval.jobfile;

import dev.calleval.s3.S3Location;
import dev.calleval.source.InputLocation;
import dev.calleval.source.PrefixTemplate;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * One pipeline, as written in a job file ({@code jobs/<name>.yaml}) and loaded by {@link JobDefinitions}. Keys are
 * kebab-case; durations take units ({@code 500ms}, {@code 30s}, {@code 2h}); sizes too ({@code 50MB}). See the
 * docs/job-file.md.
 *
 * <p>A job file declares its kind by the one section it has, and is loaded as the record of that kind:
 * {@code source:} an {@link Evaluate} job (evaluate calls), {@code enrich:} an {@link Enrich} job (post simulation
 * logs to update-simulation-result), {@code simulate-sms:} a {@link SimulateSms} job (queue SMS simulation runs) or
 * {@code drop-folder:} a {@link DropFolder} job (evaluate every manifest dropped into an S3 inbox: each one runs as
 * an evaluate job whose source is that manifest). {@code submit:} and {@code report:} apply to every kind,
 * {@code defaults:}, {@code results:}, {@code transcript:}, {@code redaction:} and {@code sampling:} to evaluate and drop-folder jobs, {@code schedule:} to
 * evaluate and enrich jobs. Callers tell the kinds apart by the type ({@code instanceof} patterns while the build is
 * on Java 17; a {@code switch} over the sealed type once it is on Java 21); the two kinds that run as Spring Batch job
 * executions are {@link BatchJob}s.
 */
public sealed interface JobDefinition permits JobDefinition.BatchJob, JobDefinition.SimulateSms, JobDefinition.DropFolder {

    /** The job parameters a run or launch may set ({@link #withParameters}). */
    Set<String> LAUNCH_PARAMETERS = Set.of("source", "date");

    /** The kinds' names, as messages and the launch API show them ({@code evaluate}, {@code simulate-sms}, ...). */
    enum Kind {
        /** {@code source:}: submit calls to {@code POST /v1/evaluate} and reconcile their results. */
        EVALUATE,
        /** {@code enrich:}: post per-call simulation logs to {@code POST /v1/update-simulation-result}. */
        ENRICH,
        /** {@code simulate-sms:}: queue SMS simulation runs. */
        SIMULATE_SMS,
        /** {@code drop-folder:}: evaluate every manifest dropped into an S3 inbox ({@code calleval drop-folder poll-once}, {@code serve}). */
        DROP_FOLDER
    }

    /** The job's name (1-100 letters, digits, '.', '_' or '-'): reports go to {@code reports/<name>/<execution id>/}. */
    String name();

    /** What the job is for, as its file says; null when it says nothing. */
    @Nullable String description();

    /** How requests are sent ({@code submit:}: rate limit, in-flight limit, chunk size, timeouts, retry). */
    SubmitSettings submit();

    /** Where reports are written ({@code report:}). */
    ReportSettings report();

    /** The job file itself (set by the loader); relative paths in it resolve against its folder. Null for a job made without a file. */
    @Nullable Path file();

    /** The kind's name, for messages and views; tell kinds apart by the type instead. */
    Kind kind();

    /** When {@code serve} runs the job by itself (evaluate and enrich jobs); null: only when launched. */
    default @Nullable Schedule schedule() {
        return null;
    }

    /** A path from the job file, resolved against the file's folder (as given when absolute or without a file). */
    default Path resolve(String location) {
        Path p = Path.of(location);
        return p.isAbsolute() || file() == null ? p : file().toAbsolutePath().getParent().resolve(p).normalize();
    }

    /** {@link #withParameters(Map, Clock)} with the system clock (UTC). */
    default JobDefinition withParameters(Map<String, String> parameters) {
        return withParameters(parameters, Clock.systemUTC());
    }

    /**
     * This job with its job parameters applied ({@code run --date/--param}, {@code POST /api/jobs/{name}/executions}):
     * <ul>
     *   <li>{@code source} replaces {@code source.location} (evaluate) or {@code enrich.location} (enrich), read as in
     *       the job file (relative to its folder, or absolute, or {@code s3://});
     *   <li>{@code date} ({@code yyyy-MM-dd}) is the day an {@code s3-prefix} source reads; when neither the
     *       parameters nor the file give it, it is yesterday in {@code source.zone} by {@code clock}.
     * </ul>
     *
     * @param parameters parameter name → value; empty for the job as written
     * @return a job of the same kind
     * @throws IllegalArgumentException for a parameter this job does not take, a blank value or a malformed date
     */
    default JobDefinition withParameters(Map<String, String> parameters, Clock clock) {
        JobDefinition result = this;
        for (Map.Entry<String, String> p : new TreeMap<>(parameters).entrySet()) {
            if (!LAUNCH_PARAMETERS.contains(p.getKey())) {
                throw new IllegalArgumentException("unknown job parameter '" + p.getKey() + "' (" + name() + " takes: "
                        + String.join(", ", new TreeSet<>(LAUNCH_PARAMETERS)) + ")");
            }
            if (p.getValue() == null || p.getValue().isBlank()) {
                throw new IllegalArgumentException("job parameter '" + p.getKey() + "' is blank");
            }
            if (p.getKey().equals("source")) {
                String location = p.getValue();
                if (result instanceof Evaluate e) {
                    result = e.withSourceLocation(location);
                } else if (result instanceof Enrich e) {
                    result = new Enrich(e.name(), e.description(), new EnrichSettings(location, e.enrich().type(), e.enrich().resendInDoubt()),
                            e.submit(), e.report(), e.schedule(), e.file());
                } else if (result instanceof SimulateSms) {
                    throw new IllegalArgumentException(name() + " is a simulate-sms job: it has no source to set");
                } else {
                    throw new IllegalArgumentException(name() + " is a drop-folder job: its sources are the manifests dropped in its inbox");
                }
            }
        }
        String date = parameters.get("date");
        if (result instanceof Evaluate e && e.source().isS3Prefix()) {
            return e.withDate(date, clock);
        }
        if (date != null) {
            throw new IllegalArgumentException("job parameter 'date' applies to s3-prefix sources only; " + name() + " has none");
        }
        return result;
    }

    /**
     * A job that runs as Spring Batch job executions over one source (evaluate and enrich jobs): its executions are
     * keyed by the job parameter {@code source} ({@link #sourceKey}), restarted, refused while one is running, and
     * reported.
     */
    sealed interface BatchJob extends JobDefinition permits Evaluate, Enrich {
        /** What the job reads, as its job parameter {@code source} keys its instances: a path or {@code s3://} location. */
        String sourceKey();
    }

    /**
     * An evaluate job ({@code source:}): submits the calls of a manifest or S3 prefix to {@code POST /v1/evaluate}
     * and reconciles their results.
     *
     * @param source where the calls come from
     * @param defaults values applied to every call
     * @param results how long to wait for results and how to poll for them
     * @param transcript how local transcript files are read
     * @param redaction the personal data removed before a call leaves ({@code redaction:})
     * @param sampling which of the calls a run sends (a sample by source id, a per-run cap)
     * @param quality the thresholds its executions are judged by ({@code quality:}), null without the section: then
     *     {@code compare} and the report's trend section use the default thresholds and a run sends no alert
     */
    record Evaluate(String name, @Nullable String description, SourceSettings source, CallDefaults defaults, SubmitSettings submit,
            ResultsSettings results, ReportSettings report, TranscriptSettings transcript, RedactionSettings redaction, SamplingSettings sampling, @Nullable Schedule schedule,
            @Nullable Path file, @Nullable QualitySettings quality) implements BatchJob {

        public Evaluate {
            JobFile.checkName(name);
        }

        @Override
        public Kind kind() {
            return Kind.EVALUATE;
        }

        /**
         * The manifest: an S3 object, or a local file resolved against the job file's folder.
         *
         * @throws IllegalArgumentException when the {@code s3://} location is malformed
         */
        public InputLocation manifest() {
            String location = source.location().strip();
            return S3Location.isS3(location) ? new InputLocation.S3(S3Location.parse(location)) : new InputLocation.Local(resolve(location));
        }

        /**
         * The manifest's location, resolved against the job file's folder.
         *
         * @throws IllegalStateException when the manifest is in S3 (see {@link #manifest()})
         */
        public Path manifestPath() {
            if (manifest() instanceof InputLocation.Local local) {
                return local.path();
            }
            throw new IllegalStateException(name + ": the manifest is in S3: " + source.location());
        }

        /**
         * The source as messages and reports show it ({@code summary.json}'s {@code source}, rejects'
         * {@code file:line}): the manifest by {@link InputLocation#shown()} (relative to the working directory when
         * inside it, else absolute; {@code s3://bucket/key}), or the resolved {@code s3://} prefix.
         */
        public String sourceShown() {
            return source.isS3Prefix() ? source.resolvedLocation() : manifest().shown();
        }

        /** What the job reads, as its job instance is keyed: the manifest path or the resolved S3 prefix. */
        @Override
        public String sourceKey() {
            return source.isS3Prefix() ? source.resolvedLocation() : manifest().toString();
        }

        Evaluate withSourceLocation(String location) {
            return new Evaluate(name, description, new SourceSettings(source.type(), location, source.columns(), source.zone(), source.date(),
                    source.pageSize()), defaults, submit, results, report, transcript, redaction, sampling, schedule, file, quality);
        }

        /** The s3-prefix source's date fixed: {@code date}, else the file's, else yesterday in its zone. */
        Evaluate withDate(@Nullable String date, Clock clock) {
            if (date == null) {
                date = source.date() != null ? source.date() : LocalDate.now(clock.withZone(ZoneId.of(source.zone()))).minusDays(1).toString();
            }
            PrefixTemplate.parseDate(date);
            SourceSettings fixed = new SourceSettings(source.type(), source.location(), source.columns(), source.zone(), date, source.pageSize());
            return new Evaluate(name, description, fixed, defaults, submit, results, report, transcript, redaction, sampling, schedule, file, quality);
        }
    }

    /**
     * An enrich job ({@code enrich:}): posts per-call simulation logs to {@code POST /v1/update-simulation-result}.
     *
     * @param enrich where the simulation logs are
     */
    record Enrich(String name, @Nullable String description, EnrichSettings enrich, SubmitSettings submit, ReportSettings report,
            @Nullable Schedule schedule, @Nullable Path file) implements BatchJob {

        public Enrich {
            JobFile.checkName(name);
        }

        @Override
        public Kind kind() {
            return Kind.ENRICH;
        }

        /** The location of the logs (directory or manifest), resolved against the job file's folder. */
        public Path enrichLocation() {
            return resolve(enrich.location());
        }

        /** The logs' location as an absolute path string. */
        @Override
        public String sourceKey() {
            return enrichLocation().toString();
        }
    }

    /**
     * A simulate-sms job ({@code simulate-sms:}): queues SMS simulation runs and waits for their results. Not a
     * Spring Batch job.
     *
     * @param simulateSms the runs to queue
     */
    record SimulateSms(String name, @Nullable String description, SimulateSmsSettings simulateSms, SubmitSettings submit,
            ReportSettings report, @Nullable Path file) implements JobDefinition {

        public SimulateSms {
            JobFile.checkName(name);
        }

        @Override
        public Kind kind() {
            return Kind.SIMULATE_SMS;
        }
    }

    /**
     * A drop-folder job ({@code drop-folder:}): every manifest dropped into an S3 inbox runs as an evaluate job
     * ({@link #forDroppedManifest}).
     *
     * @param dropFolder the S3 inbox and its sibling prefixes
     * @param redaction the personal data removed before a call leaves
     * @param sampling which calls of each dropped manifest a run sends
     */
    record DropFolder(String name, @Nullable String description, DropFolderSettings dropFolder, CallDefaults defaults, SubmitSettings submit,
            ResultsSettings results, ReportSettings report, TranscriptSettings transcript, RedactionSettings redaction, SamplingSettings sampling, @Nullable Path file)
            implements JobDefinition {

        public DropFolder {
            JobFile.checkName(name);
        }

        @Override
        public Kind kind() {
            return Kind.DROP_FOLDER;
        }

        /**
         * The evaluate job run for one dropped manifest: same name, defaults, submit, results and transcript settings,
         * {@code source.location} the manifest, reports under {@code reportDirectory}.
         *
         * @param manifest the manifest's location (a local path or s3:// location)
         * @param reportDirectory where this manifest's reports go ({@code <reportDirectory>/<job>/<execution id>/})
         */
        public Evaluate forDroppedManifest(String manifest, String reportDirectory) {
            return new Evaluate(name, description, new SourceSettings("manifest", manifest, dropFolder.columns(), "UTC", null, 1000), defaults,
                    submit, results, new ReportSettings(reportDirectory, null), transcript, redaction, sampling, null, file, null);
        }
    }
}
