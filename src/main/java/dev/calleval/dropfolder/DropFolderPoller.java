package dev.calleval.dropfolder;

import dev.calleval.jobfile.DropFolderSettings;
import dev.calleval.jobfile.JobDefinition;
import dev.calleval.s3.S3AccessException;
import dev.calleval.s3.S3Location;
import dev.calleval.s3.S3Storage;
import dev.calleval.source.ColumnMapping;
import dev.calleval.source.InputLocation;
import dev.calleval.source.ManifestItemReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Polls a job's drop folder ({@code drop-folder:} section): claims each manifest in the inbox exactly once (a row
 * in {@code drop_folder_claim}, unique on bucket/key/inbox ETag), moves it to {@code processing/}, runs it as an
 * evaluate job execution, then moves it to {@code done/} or {@code failed/} with its reports beside it
 * ({@code <name>.report/summary.json}, {@code calls.csv}, {@code rejects.csv}, {@code report.html}) or, when it
 * cannot be parsed at all, an error file {@code <name>.error.txt}. Nothing is deleted except the inbox and
 * processing copies of a moved object.
 *
 * <p>Before looking at the inbox, each poll resumes the job's unfinished claims whose owner is dead (same host,
 * process gone) or silent for {@code claim-timeout}: the object is found in the inbox or in processing/ and the run
 * is started again; JobRunner restarts the failed execution and the ledger keeps calls already submitted from
 * being sent again.
 *
 * <p>The manifest is run in place from processing/ (streamed, never downloaded): relative {@code recording},
 * {@code transcript}, {@code sidecar} paths in it resolve against the processing/ prefix, so {@code ../recordings/a.wav}
 * next to {@code s3://b/drop/processing/calls.csv} is {@code s3://b/drop/recordings/a.wav}, sent as a presigned URL.
 * The execution's reports are written under {@code <report directory>/.drop-folder/<claim id>/reports/} and
 * uploaded beside the filed manifest.
 *
 * <p>{@code serve} calls {@link #pollOnce} every {@code drop-folder.poll-interval} for each job with a
 * {@code drop-folder:} section; {@code calleval drop-folder poll-once JOB} calls it once.
 */
@Component
public class DropFolderPoller {
    private static final Logger log = LoggerFactory.getLogger(DropFolderPoller.class);

    /** Runs one dropped manifest as an evaluate job execution; true when the execution COMPLETED. */
    @FunctionalInterface
    public interface ManifestRun {
        boolean run(JobDefinition.Evaluate evaluateJob) throws Exception;
    }

    /** What a poll did with one manifest: its inbox key, final state and where it ended (null while another poller has it). */
    public record Outcome(String inboxKey, DropFolderClaims.State state, @Nullable String location, @Nullable String reason) {}

    private final S3Storage s3;
    private final DropFolderClaims claims;
    private final DropFolderClaims.Owner owner = DropFolderClaims.Owner.current();

    public DropFolderPoller(S3Storage s3, DropFolderClaims claims) {
        this.s3 = s3;
        this.claims = claims;
    }

    /**
     * One poll: resumes abandoned claims, then claims and runs every new manifest in the inbox, one at a time.
     *
     * @param job a job with a {@code drop-folder:} section
     * @param run runs the evaluate job derived for each manifest ({@link JobDefinition.DropFolder#forDroppedManifest})
     * @return what happened to each manifest this poll processed (empty when the inbox had nothing new)
     * @throws S3AccessException when the inbox cannot be listed
     */
    public List<Outcome> pollOnce(JobDefinition.DropFolder job, ManifestRun run) {
        DropFolderSettings settings = job.dropFolder();
        List<Outcome> outcomes = new ArrayList<>();
        Instant now = Instant.now();
        for (DropFolderClaims.Claim stale : claims.unfinished(job.name())) {
            if (DropFolderClaims.abandoned(stale, settings.claimTimeout(), now)) {
                DropFolderClaims.Claim mine = claims.takeOver(stale, owner.toString());
                if (mine != null) {
                    log.info("drop folder {}: resuming claim {} of s3://{}/{} left {} by {}", job.name(), mine.id(), mine.bucket(),
                            mine.inboxKey(), stale.state(), stale.owner());
                    outcomes.add(process(job, settings, mine, run));
                }
            }
        }
        String bucket = settings.bucket();
        String inboxPrefix = S3Location.parse(settings.inbox()).key();
        List<S3Object> objects;
        try {
            objects = s3.client().listObjectsV2Paginator(r -> r.bucket(bucket).prefix(inboxPrefix)).contents().stream()
                    .filter(o -> !o.key().endsWith("/") && !o.key().substring(inboxPrefix.length()).contains("/")).toList();
        } catch (SdkException e) {
            throw S3AccessException.of("cannot list the drop folder inbox", S3Location.parse(settings.inbox()), e);
        }
        for (S3Object object : objects) {
            DropFolderClaims.Claim claim = claims.claim(job.name(), bucket, object.key(), object.eTag(), owner.toString());
            if (claim == null) {
                DropFolderClaims.Claim other = claims.find(bucket, object.key(), object.eTag());
                if (other != null && (other.state() == DropFolderClaims.State.DONE || other.state() == DropFolderClaims.State.FAILED)) {
                    log.warn("drop folder {}: s3://{}/{} has the content of a manifest already processed (claim {}, {}): left in the inbox; "
                            + "change it (or drop it under another name) to run it again", job.name(), bucket, object.key(), other.id(), other.state());
                }
                continue;
            }
            log.info("drop folder {}: claimed s3://{}/{} (ETag {}) as claim {}", job.name(), bucket, object.key(), object.eTag(), claim.id());
            outcomes.add(process(job, settings, claim, run));
        }
        return outcomes;
    }

    private Outcome process(JobDefinition.DropFolder job, DropFolderSettings settings, DropFolderClaims.Claim claim, ManifestRun run) {
        String name = claim.inboxKey().substring(claim.inboxKey().lastIndexOf('/') + 1);
        S3Location inbox = new S3Location(claim.bucket(), claim.inboxKey());
        S3Location processing = S3Location.parse(settings.processing() + name);
        try {
            if (exists(inbox)) {
                move(inbox, processing);
            } else if (!exists(processing)) {
                String reason = "the object is neither in the inbox nor in processing/ any more";
                claims.update(claim.id(), DropFolderClaims.State.FAILED, null, reason);
                log.error("drop folder {}: claim {} of {}: {}", job.name(), claim.id(), inbox, reason);
                return new Outcome(claim.inboxKey(), DropFolderClaims.State.FAILED, null, reason);
            }
            claims.update(claim.id(), DropFolderClaims.State.RUNNING, processing.toString(), null);

            String unparseable = checkParses(processing, settings);
            if (unparseable != null) {
                S3Location failed = S3Location.parse(settings.failed() + name);
                put(S3Location.parse(settings.failed() + name + ".error.txt"), "calleval could not process " + inbox + " (claim "
                        + claim.id() + "):\n" + unparseable + "\n");
                move(processing, failed);
                claims.update(claim.id(), DropFolderClaims.State.FAILED, failed.key(), unparseable);
                log.warn("drop folder {}: {} cannot be parsed, moved to {}: {}", job.name(), inbox, failed, unparseable);
                return new Outcome(claim.inboxKey(), DropFolderClaims.State.FAILED, failed.toString(), unparseable);
            }

            // the manifest runs in place: relative paths in it resolve against the drop folder's prefix in S3
            Path reports = job.report().localPath().toAbsolutePath().resolve(".drop-folder").resolve(Long.toString(claim.id()))
                    .resolve("reports");
            JobDefinition.Evaluate evaluate = job.forDroppedManifest(processing.toString(), reports.toString());
            boolean completed = run.run(evaluate);
            S3Location target = S3Location.parse((completed ? settings.done() : settings.failed()) + name);
            uploadReports(reports.resolve(job.name()), S3Location.parse(target + ".report/"));
            move(processing, target);
            DropFolderClaims.State state = completed ? DropFolderClaims.State.DONE : DropFolderClaims.State.FAILED;
            String reason = completed ? null : "the job execution did not complete; see " + target + ".report/summary.json";
            claims.update(claim.id(), state, target.key(), reason);
            log.info("drop folder {}: {} {}, moved to {}", job.name(), inbox, completed ? "processed" : "failed", target);
            return new Outcome(claim.inboxKey(), state, target.toString(), reason);
        } catch (Exception e) {
            // the claim stays RUNNING: the next poll after claim-timeout (or once this process is gone) resumes it
            log.error("drop folder {}: claim {} of {} stopped: {} (resumed by a later poll)", job.name(), claim.id(), inbox, e.getMessage());
            return new Outcome(claim.inboxKey(), DropFolderClaims.State.RUNNING, processing.toString(), e.getMessage());
        }
    }

    /**
     * Null when the manifest's header can be read from S3 and names a call_id column; otherwise why not. Reads the
     * header only (the reader's open, then the first line), never the whole object.
     */
    private @Nullable String checkParses(S3Location manifest, DropFolderSettings settings) {
        String shown = manifest.toString();
        ColumnMapping columns = new ColumnMapping(settings.columns());
        List<String> header;
        try {
            header = new ManifestItemReader(new InputLocation.S3(manifest), s3, shown, columns, false).check().columns();
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        String callId = columns.header("call_id");
        if (!header.contains(callId)) {
            String columnsRead = String.join(",", header);
            return shown + ":1: the header row has no '" + callId + "' column, so this is not a calleval manifest (header: "
                    + (columnsRead.length() > 200 ? columnsRead.substring(0, 200) + "..." : columnsRead) + ")";
        }
        return null;
    }

    /** Uploads the newest execution's report files from {@code <reports>/<job>/<execution id>/}. */
    private void uploadReports(Path jobReports, S3Location prefix) throws IOException {
        if (!Files.isDirectory(jobReports)) {
            return;
        }
        Path newest;
        try (Stream<Path> dirs = Files.list(jobReports)) {
            newest = dirs.filter(d -> d.getFileName().toString().matches("\\d+"))
                    .max(java.util.Comparator.comparingLong(d -> Long.parseLong(d.getFileName().toString()))).orElse(null);
        }
        if (newest == null) {
            return;
        }
        for (String file : List.of("summary.json", "calls.csv", "rejects.csv", "report.html")) {
            Path path = newest.resolve(file);
            if (Files.isRegularFile(path)) {
                s3.upload(path, prefix.child(file), file.endsWith(".json") ? "application/json"
                        : file.endsWith(".html") ? "text/html; charset=utf-8" : "text/csv");
            }
        }
    }

    private boolean exists(S3Location object) {
        try {
            s3.head(object);
            return true;
        } catch (S3AccessException e) {
            if (e.notFound()) {
                return false;
            }
            throw e;
        }
    }

    /** S3 has no move: copy, then delete the source (the copy's ETag may differ; the claim keeps the inbox one). */
    private void move(S3Location from, S3Location to) {
        try {
            s3.client().copyObject(r -> r.sourceBucket(from.bucket()).sourceKey(from.key()).destinationBucket(to.bucket())
                    .destinationKey(to.key()));
            s3.client().deleteObject(r -> r.bucket(from.bucket()).key(from.key()));
        } catch (SdkException e) {
            throw S3AccessException.of("cannot move " + from + " to", to, e);
        }
    }

    private void put(S3Location object, String text) {
        try {
            s3.client().putObject(r -> r.bucket(object.bucket()).key(object.key()).contentType("text/plain; charset=utf-8"),
                    RequestBody.fromString(text, StandardCharsets.UTF_8));
        } catch (SdkException e) {
            throw S3AccessException.of("cannot write", object, e);
        }
    }
}
