package dev.calleval.jobfile;

import dev.calleval.bluejay.BluejayClientSettings;
import dev.calleval.bluejay.ParticipantRole;
import dev.calleval.transcript.SpeakerMapping;
import dev.calleval.transcript.TranscriptFormat;
import dev.calleval.bluejay.CallDirection;
import dev.calleval.bluejay.CallInterface;
import dev.calleval.source.InputLocation;
import dev.calleval.mapping.S3Recordings;
import dev.calleval.s3.S3Location;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * One pipeline, as written in a job file ({@code jobs/<name>.yaml}). Keys are kebab-case; durations take units
 * ({@code 500ms}, {@code 30s}, {@code 2h}); sizes too ({@code 50MB}). See the README's "Job file" section.
 *
 * <p>A job file declares its {@link Kind} by the one section it has: {@code source:} (evaluate calls),
 * {@code enrich:} (post simulation logs to update-simulation-result), {@code simulate-sms:} (queue SMS
 * simulation runs) or {@code drop-folder:} (evaluate every manifest dropped into an S3 inbox: each one runs as an
 * evaluate job whose source is that manifest). Exactly one of the four; {@code submit:} and {@code report:} apply to
 * every kind, {@code defaults:} and {@code results:} to evaluate and drop-folder jobs only.
 *
 * @param name the job's name: reports go to {@code reports/<name>/<execution id>/}
 * @param source evaluate jobs: where the calls come from; null for the other kinds
 * @param enrich enrich jobs: where the simulation logs are; null for the other kinds
 * @param simulateSms simulate-sms jobs: the runs to queue; null for the other kinds
 * @param schedule when {@code serve} runs the job by itself (evaluate and enrich jobs); null: only when launched
 * @param dropFolder drop-folder jobs: the S3 inbox and its sibling prefixes; null for the other kinds
 * @param file the job file itself (set by the loader); relative paths in it resolve against its folder
 */
public record JobDefinition(
        String name,
        @Nullable String description,
        @Nullable Source source,
        @Nullable EnrichSettings enrich,
        @Nullable SimulateSmsSettings simulateSms,
        @Nullable DropFolderSettings dropFolder,
        @DefaultValue Defaults defaults,
        @DefaultValue Submit submit,
        @DefaultValue Results results,
        @DefaultValue Report report,
        @DefaultValue Transcript transcript,
        @Nullable Schedule schedule,
        @Nullable Path file) {

    /** What a job does, decided by the section its file declares. */
    public enum Kind {
        /** {@code source:}: submit calls to {@code POST /v1/evaluate} and reconcile their results. */
        EVALUATE,
        /** {@code enrich:}: post per-call simulation logs to {@code POST /v1/update-simulation-result}. */
        ENRICH,
        /** {@code simulate-sms:}: queue SMS simulation runs. */
        SIMULATE_SMS,
        /** {@code drop-folder:}: evaluate every manifest dropped into an S3 inbox ({@code calleval drop-folder poll-once}, {@code serve}). */
        DROP_FOLDER
    }

    public JobDefinition {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
            throw new IllegalArgumentException("name must be 1-100 letters, digits, '.', '_' or '-', got: " + name);
        }
        List<String> sections = new java.util.ArrayList<>();
        if (source != null) {
            sections.add("source:");
        }
        if (enrich != null) {
            sections.add("enrich:");
        }
        if (simulateSms != null) {
            sections.add("simulate-sms:");
        }
        if (dropFolder != null) {
            sections.add("drop-folder:");
        }
        if (sections.size() != 1) {
            throw new IllegalArgumentException("a job file declares exactly one of source: (an evaluate job: source.location), "
                    + "enrich: (enrich.location), simulate-sms: (simulate-sms.runs) or drop-folder: (drop-folder.inbox); "
                    + (sections.isEmpty() ? "found none" : "found " + String.join(" and ", sections)));
        }
        if (schedule != null && (simulateSms != null || dropFolder != null)) {
            throw new IllegalArgumentException("schedule: applies to evaluate (source:) and enrich (enrich:) jobs, not to simulate-sms or "
                    + "drop-folder jobs (a drop folder is polled every drop-folder.poll-interval)");
        }
    }

    JobDefinition withFile(Path file) {
        return new JobDefinition(name, description, source, enrich, simulateSms, dropFolder, defaults, submit, results, report, transcript, schedule,
                file);
    }

    /** The job parameters a run or launch may set ({@link #withParameters}). */
    public static final java.util.Set<String> LAUNCH_PARAMETERS = java.util.Set.of("source", "date");

    /** {@link #withParameters(Map, java.time.Clock)} with the system clock (UTC). */
    public JobDefinition withParameters(Map<String, String> parameters) {
        return withParameters(parameters, java.time.Clock.systemUTC());
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
     * @throws IllegalArgumentException for a parameter this job does not take, a blank value or a malformed date
     */
    public JobDefinition withParameters(Map<String, String> parameters, java.time.Clock clock) {
        JobDefinition result = this;
        for (Map.Entry<String, String> p : new java.util.TreeMap<>(parameters).entrySet()) {
            if (!LAUNCH_PARAMETERS.contains(p.getKey())) {
                throw new IllegalArgumentException("unknown job parameter '" + p.getKey() + "' (" + name + " takes: "
                        + String.join(", ", new java.util.TreeSet<>(LAUNCH_PARAMETERS)) + ")");
            }
            if (p.getValue() == null || p.getValue().isBlank()) {
                throw new IllegalArgumentException("job parameter '" + p.getKey() + "' is blank");
            }
            if (p.getKey().equals("source")) {
                result = result.withSourceLocation(p.getValue());
            }
        }
        return result.withDate(parameters.get("date"), clock);
    }

    private JobDefinition withSourceLocation(String location) {
        return switch (kind()) {
            case EVALUATE -> new JobDefinition(name, description, new Source(source.type(), location, source.columns(), source.zone(), source.date(),
                    source.pageSize()), enrich, simulateSms,
                    dropFolder, defaults, submit, results, report, transcript, schedule, file);
            case ENRICH -> new JobDefinition(name, description, source, new EnrichSettings(location, enrich.type(), enrich.resendInDoubt()),
                    simulateSms, dropFolder, defaults, submit, results, report, transcript, schedule, file);
            case SIMULATE_SMS -> throw new IllegalArgumentException(name + " is a simulate-sms job: it has no source to set");
            case DROP_FOLDER -> throw new IllegalArgumentException(name + " is a drop-folder job: its sources are the manifests dropped in its inbox");
        };
    }

    /** Where the job reads from, as its job parameter {@code source}: the manifest, or the enrich job's logs. */
    public Path sourcePath() {
        return switch (kind()) {
            case EVALUATE -> manifestPath();
            case ENRICH -> enrichLocation();
            case SIMULATE_SMS -> throw new IllegalStateException(name + " is a simulate-sms job: it reads no source");
            case DROP_FOLDER -> throw new IllegalStateException(name + " is a drop-folder job: each dropped manifest is its source");
        };
    }

    /** The kind of job, from the one section the file declares. */
    public Kind kind() {
        return source != null ? Kind.EVALUATE : enrich != null ? Kind.ENRICH : simulateSms != null ? Kind.SIMULATE_SMS : Kind.DROP_FOLDER;
    }

    /**
     * The {@code drop-folder:} section of a drop-folder job.
     *
     * @throws IllegalStateException for another kind of job
     */
    public DropFolderSettings requireDropFolder() {
        if (dropFolder == null) {
            throw new IllegalStateException(name + " is an " + kind() + " job, not a drop-folder job (it has no drop-folder: section)");
        }
        return dropFolder;
    }

    /**
     * The evaluate job a drop-folder job runs for one dropped manifest: same name, defaults, submit, results and
     * transcript settings, {@code source.location} the manifest, reports under {@code reportDirectory}.
     *
     * @param manifest the manifest's location (a local path or s3:// location)
     * @param reportDirectory where this manifest's reports go ({@code <reportDirectory>/<job>/<execution id>/})
     * @throws IllegalStateException when this is not a drop-folder job
     */
    public JobDefinition forDroppedManifest(String manifest, String reportDirectory) {
        DropFolderSettings drop = requireDropFolder();
        return new JobDefinition(name, description, new Source("manifest", manifest, drop.columns(), "UTC", null, 1000), null, null, null,
                defaults, submit,
                results, new Report(reportDirectory, null), transcript, null, file);
    }

    /**
     * The {@code source:} section of an evaluate job.
     *
     * @throws IllegalStateException for another kind of job
     */
    public Source requireSource() {
        if (source == null) {
            throw new IllegalStateException(name + " is an " + kind() + " job, not an evaluate job (it has no source: section)");
        }
        return source;
    }

    /**
     * The {@code enrich:} section of an enrich job.
     *
     * @throws IllegalStateException for another kind of job
     */
    public EnrichSettings requireEnrich() {
        if (enrich == null) {
            throw new IllegalStateException(name + " is an " + kind() + " job, not an enrich job (it has no enrich: section)");
        }
        return enrich;
    }

    /**
     * The {@code simulate-sms:} section of a simulate-sms job.
     *
     * @throws IllegalStateException for another kind of job
     */
    public SimulateSmsSettings requireSimulateSms() {
        if (simulateSms == null) {
            throw new IllegalStateException(name + " is an " + kind() + " job, not a simulate-sms job (it has no simulate-sms: section)");
        }
        return simulateSms;
    }

    /**
     * Where the calls come from.
     *
     * @param type {@code manifest}: a CSV manifest; {@code s3-prefix}: every call group under an S3 prefix
     * @param location the manifest path, relative to the job file's folder, or absolute; or an S3 object
     *     {@code s3://bucket/key} (read streaming; the paths in it resolve against its prefix); for {@code s3-prefix} an
     *     {@code s3://bucket/prefix/} that may hold a date template {@code {date:yyyy/MM/dd}} (any
     *     {@link java.time.format.DateTimeFormatter} pattern; {@code {date}} is {@code yyyy-MM-dd})
     * @param columns logical column → header name in this manifest, for headers that differ from the defaults
     * @param zone {@code s3-prefix}: the time zone whose yesterday is the default {@code date} (default UTC)
     * @param date {@code s3-prefix}: the date filled into the template ({@code yyyy-MM-dd}); normally left out of the
     *     file and given as a job parameter ({@code --date}); null until {@link JobDefinition#withParameters} fixes it
     * @param pageSize {@code s3-prefix}: keys per ListObjectsV2 page (1-1000)
     */
    public record Source(@DefaultValue("manifest") String type, String location, @DefaultValue Map<String, String> columns,
            @DefaultValue("UTC") String zone, @Nullable String date, @DefaultValue("1000") int pageSize) {
        /** The {@code source.type} of an S3 prefix scan. */
        public static final String S3_PREFIX = "s3-prefix";

        public Source {
            if (!"manifest".equals(type) && !S3_PREFIX.equals(type)) {
                throw new IllegalArgumentException("source.type must be 'manifest' or 's3-prefix', got '" + type + "'");
            }
            if (location == null || location.isBlank()) {
                throw new IllegalArgumentException("source.location is required: the path of the CSV manifest"
                        + " (or, for source.type s3-prefix, s3://bucket/prefix/)");
            }
            if (S3_PREFIX.equals(type)) {
                if (!dev.calleval.s3.S3Location.isS3(location)) {
                    throw new IllegalArgumentException("source.location of an s3-prefix source must be s3://bucket/prefix/, got '" + location + "'");
                }
                try {
                    java.time.ZoneId.of(zone);
                } catch (java.time.DateTimeException e) {
                    throw new IllegalArgumentException("source.zone '" + zone + "' is not a time zone (e.g. UTC, Europe/Berlin)");
                }
                if (pageSize < 1 || pageSize > 1000) {
                    throw new IllegalArgumentException("source.page-size must be 1..1000, got " + pageSize);
                }
                if (date != null) {
                    dev.calleval.source.PrefixTemplate.parseDate(date);
                }
            }
            if (!S3_PREFIX.equals(type) && S3Location.isS3(location)) {
                S3Location object = S3Location.parse(location.strip());
                if (object.key().isEmpty() || object.key().endsWith("/")) {
                    throw new IllegalArgumentException("source.location '" + location + "' is an S3 prefix; a manifest is one object, "
                            + "s3://bucket/key.csv");
                }
            }
        }

        /** True for {@code source.type: s3-prefix}. */
        public boolean isS3Prefix() {
            return S3_PREFIX.equals(type);
        }

        /**
         * The location as read: the manifest location, or for {@code s3-prefix} the prefix with its date filled in.
         *
         * @throws IllegalStateException for an s3-prefix source whose template needs a date not yet fixed
         */
        public String resolvedLocation() {
            if (!isS3Prefix()) {
                return location;
            }
            return dev.calleval.source.PrefixTemplate.resolve(location, date == null ? null : dev.calleval.source.PrefixTemplate.parseDate(date)).toString();
        }
    }

    /** The s3-prefix source's date fixed: {@code date}, else the file's, else yesterday in its zone. */
    private JobDefinition withDate(@Nullable String date, java.time.Clock clock) {
        if (source == null || !source.isS3Prefix()) {
            if (date != null) {
                throw new IllegalArgumentException("job parameter 'date' applies to s3-prefix sources only; " + name + " has none");
            }
            return this;
        }
        if (date == null) {
            date = source.date() != null ? source.date()
                    : java.time.LocalDate.now(clock.withZone(java.time.ZoneId.of(source.zone()))).minusDays(1).toString();
        }
        dev.calleval.source.PrefixTemplate.parseDate(date);
        Source fixed = new Source(source.type(), source.location(), source.columns(), source.zone(), date, source.pageSize());
        return new JobDefinition(name, description, fixed, enrich, simulateSms, dropFolder, defaults, submit, results, report, transcript, schedule,
                file);
    }

    /**
     * Values applied to every call unless its row sets its own; tags, custom metrics and metadata are added.
     *
     * @param maxRecordingSize largest recording sent inline as {@code recording_base64}
     * @param recordingUrlTtl how long the presigned GET URL of an {@code s3://} recording stays valid (1s to 7d);
     *     null: {@code calleval.s3.presign-ttl} (default 24h)
     * @param recordingUrlTooLong {@code reject} (default) or {@code base64}: what to do when a presigned URL is over
     *     the API's 2083 characters (temporary credentials make it long)
     */
    public record Defaults(
            @Nullable String agentId,
            @Nullable String externalAgentId,
            @DefaultValue List<String> tags,
            @DefaultValue List<String> customMetrics,
            @DefaultValue List<String> customMetricTags,
            @Nullable String label,
            @Nullable CallDirection callDirection,
            @Nullable CallInterface callInterface,
            @Nullable Boolean multichannel,
            @DefaultValue Map<String, String> metadata,
            @DefaultValue("50MB") DataSize maxRecordingSize,
            @Nullable Duration recordingUrlTtl,
            @DefaultValue("reject") S3Recordings.UrlTooLong recordingUrlTooLong) {}

    /**
     * How requests are sent.
     *
     * @param rateLimit requests per second to Bluejay, all threads together (0 = unlimited)
     * @param maxInFlight requests in flight at once
     * @param chunkSize rows per chunk transaction (the restart granularity)
     */
    public record Submit(
            @DefaultValue("20") double rateLimit,
            @DefaultValue("16") int maxInFlight,
            @DefaultValue("100") int chunkSize,
            @DefaultValue("10s") Duration connectTimeout,
            @DefaultValue("60s") Duration requestTimeout,
            @DefaultValue Retry retry,
            @DefaultValue InDoubt inDoubt) {
        public Submit {
            if (maxInFlight < 1 || maxInFlight > 1024) {
                throw new IllegalArgumentException("submit.max-in-flight must be 1..1024, got " + maxInFlight);
            }
            if (chunkSize < 1 || chunkSize > 10_000) {
                throw new IllegalArgumentException("submit.chunk-size must be 1..10000, got " + chunkSize);
            }
        }
    }

    /**
     * Settling an evaluate request that failed ambiguously (the call may exist): after {@code lookup-delay} (at least
     * the request timeout when it timed out), up to {@code max-pages} pages of the agent's calls are searched for it,
     * and once more {@code lookup-delay} later before it is sent again (0 = never look: it stays in doubt).
     */
    public record InDoubt(@DefaultValue("5s") Duration lookupDelay, @DefaultValue("10") int maxPages) {
    }

    /** Retry of transient failures (408, 429, 5xx, timeouts, resets); {@code max-attempts} counts the first. */
    public record Retry(
            @DefaultValue("5") int maxAttempts,
            @DefaultValue("500ms") Duration initialBackoff,
            @DefaultValue("30s") Duration maxBackoff,
            @DefaultValue("2m") Duration maxRetryAfter) {
        BluejayClientSettings.RetrySettings settings() {
            return new BluejayClientSettings.RetrySettings(maxAttempts, initialBackoff, maxBackoff, maxRetryAfter);
        }
    }

    /**
     * Waiting for results.
     *
     * @param window a submitted call without a result after this long is OVERDUE (still matched if one arrives)
     * @param pollAfter a call without a webhook this long after submission is polled with retrieve-call-log
     * @param pollInterval pause between polling rounds while a run waits for results
     */
    public record Results(
            @DefaultValue("6h") Duration window,
            @DefaultValue("5m") Duration pollAfter,
            @DefaultValue("10s") Duration pollInterval) {}

    /**
     * How local transcript files are read (the {@code transcript:} section).
     *
     * @param format a format id ({@code aws-transcribe}, {@code deepgram}, ...; see the README), or {@code auto} to detect
     *     it per file from the content; a row's {@code transcript_format} column overrides it
     * @param speakers how provider speakers become AGENT or USER
     * @param fillerWords an agent utterance made only of these words or phrases is marked {@code filler_utterance}
     */
    public record Transcript(@DefaultValue("auto") String format, @DefaultValue Speakers speakers,
            @DefaultValue({"um", "uh", "uhm", "erm", "hmm", "mm", "mhm", "ah", "oh", "okay", "ok", "so", "well", "right", "yeah",
                    "one moment", "let me check", "just a moment", "let me see"}) List<String> fillerWords) {
        public Transcript {
            if (!"auto".equalsIgnoreCase(format)) {
                TranscriptFormat.of(format); // fails naming the known ids
            }
        }

        /** The named format, or null for {@code auto}. */
        public @Nullable TranscriptFormat formatOrDetect() {
            return "auto".equalsIgnoreCase(format) ? null : TranscriptFormat.of(format);
        }

        /** The speaker mapping and filler words as the converter takes them. */
        public SpeakerMapping speakerMapping() {
            return new SpeakerMapping(speakers.strategy(), speakers.labels(), speakers.channels(), speakers.firstSpeaker(), fillerWords,
                    speakers.unlabelled());
        }
    }

    /**
     * {@code transcript.speakers}: {@code strategy} {@code auto} (default), {@code label}, {@code channel} or
     * {@code first-speaker}; {@code labels} provider label → AGENT/USER; {@code channels} channel number → AGENT/USER;
     * {@code first-speaker} the role of whoever speaks first (default AGENT).
     *
     * @param unlabelled {@code transcript.speakers.unlabelled}: AGENT or USER, the role of every utterance the file says
     *     nobody spoke (no speaker label, no channel, no role: AWS Transcribe without speaker or channel
     *     identification, Deepgram without diarize, AssemblyAI without speaker_labels, captions without names); unset
     *     (default), a transcript that does not say who spoke is refused, in every format (see docs/transcripts.md)
     */
    public record Speakers(@DefaultValue("auto") SpeakerMapping.Strategy strategy, @DefaultValue Map<String, ParticipantRole> labels,
            @DefaultValue Map<Integer, ParticipantRole> channels, @DefaultValue("AGENT") ParticipantRole firstSpeaker,
            @Nullable ParticipantRole unlabelled) {}

    /**
     * When {@code serve} starts the job by itself ({@code schedule:}).
     *
     * @param cron a Spring cron expression: six fields, second minute hour day-of-month month day-of-week (e.g.
     *     {@code "0 0 2 * * *"}: 02:00:00 every day; {@code "0 0/15 * * * MON-FRI"}: every quarter hour on weekdays), or a macro such as {@code @daily}
     * @param zone the time zone the expression is read in (e.g. {@code Europe/Paris}); default UTC
     */
    public record Schedule(String cron, @DefaultValue("UTC") String zone) {
        public Schedule {
            if (cron == null || cron.isBlank()) {
                throw new IllegalArgumentException("schedule.cron is required: six fields, second minute hour day-of-month month "
                        + "day-of-week, e.g. \"0 0 2 * * *\" for 02:00 every day");
            }
            try {
                org.springframework.scheduling.support.CronExpression.parse(cron);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("schedule.cron '" + cron + "' is not a cron expression (six fields, second minute hour "
                        + "day-of-month month day-of-week, e.g. \"0 0 2 * * *\"): " + e.getMessage());
            }
            try {
                java.time.ZoneId.of(zone);
            } catch (java.time.DateTimeException e) {
                throw new IllegalArgumentException("schedule.zone '" + zone + "' is not a time zone (e.g. UTC, Europe/Paris, America/New_York)");
            }
        }

        /** The zone of the expression. */
        public java.time.ZoneId zoneId() {
            return java.time.ZoneId.of(zone);
        }

        /** The first fire time after {@code after}, or null when the expression never fires again. */
        public java.time.@Nullable ZonedDateTime next(java.time.Instant after) {
            return org.springframework.scheduling.support.CronExpression.parse(cron).next(after.atZone(zoneId()));
        }
    }

    /**
     * Where reports are written: {@code <directory>/<job>/<execution id>/}, relative to the working directory. When
     * {@code directory} is an S3 prefix {@code s3://bucket/prefix}, the report is written locally to
     * {@code <local-directory>/<job>/<execution id>/} and uploaded at the end of the run to
     * {@code s3://bucket/prefix/<job>/<execution id>/}.
     *
     * @param localDirectory where the local copy of an S3 report goes (default {@code reports})
     */
    public record Report(@DefaultValue("reports") String directory, @Nullable String localDirectory) {
        public Report {
            if (S3Location.isS3(directory)) {
                S3Location.parse(directory.strip()); // fails naming the malformed location
            }
        }

        /** The local directory reports are written to. */
        public Path localPath() {
            if (localDirectory != null && !localDirectory.isBlank()) {
                return Path.of(localDirectory);
            }
            return Path.of(S3Location.isS3(directory) ? "reports" : directory);
        }

        /** The S3 prefix reports are uploaded to, or null when they stay local. */
        public @Nullable S3Location upload() {
            return S3Location.isS3(directory) ? S3Location.parse(directory.strip()) : null;
        }
    }

    /**
     * The manifest of an evaluate job: an S3 object, or a local file resolved against the job file's folder.
     *
     * @throws IllegalArgumentException when the {@code s3://} location is malformed
     */
    public InputLocation manifest() {
        String location = requireSource().location().strip();
        return S3Location.isS3(location) ? new InputLocation.S3(S3Location.parse(location)) : new InputLocation.Local(resolve(location));
    }

    /**
     * The manifest location of an evaluate job, resolved against the job file's folder.
     *
     * @throws IllegalStateException when the manifest is in S3 (see {@link #manifest()})
     */
    public Path manifestPath() {
        if (manifest() instanceof InputLocation.Local local) {
            return local.path();
        }
        throw new IllegalStateException(name + ": the manifest is in S3: " + requireSource().location());
    }

    /**
     * The evaluate job's source as messages and reports show it ({@code summary.json}'s {@code source}, rejects'
     * {@code file:line}): the manifest by {@link InputLocation#shown()} (relative to the working directory when inside
     * it, else absolute; {@code s3://bucket/key}), or the resolved {@code s3://} prefix.
     */
    public String sourceShown() {
        return requireSource().isS3Prefix() ? requireSource().resolvedLocation() : manifest().shown();
    }

    /** What the evaluate job reads, as its job instance is keyed: the manifest path or the resolved S3 prefix. */
    public String sourceKey() {
        return requireSource().isS3Prefix() ? requireSource().resolvedLocation() : manifest().toString();
    }

    /** The location of an enrich job's logs (directory or manifest), resolved against the job file's folder. */
    public Path enrichLocation() {
        return resolve(requireEnrich().location());
    }

    /** A path from the job file, resolved against the file's folder (as given when absolute or without a file). */
    public Path resolve(String location) {
        Path p = Path.of(location);
        return p.isAbsolute() || file == null ? p : file.toAbsolutePath().getParent().resolve(p).normalize();
    }
}
