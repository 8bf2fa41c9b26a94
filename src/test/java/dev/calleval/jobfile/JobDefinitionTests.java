package dev.calleval.jobfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Job files: the kind follows from the one section a file declares, and each section binds its record. */
class JobDefinitionTests {

    @TempDir
    Path dir;

    private Path file(String name, String yaml) throws IOException {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void sourceSectionMakesAnEvaluateJob() throws IOException {
        JobDefinition job = JobDefinitions.loadFile(file("ev", """
                name: ev
                source:
                  location: calls.csv
                """));

        assertThat(job.kind()).isEqualTo(JobDefinition.Kind.EVALUATE);
        JobDefinition.Evaluate evaluate = (JobDefinition.Evaluate) job;
        assertThat(evaluate.source().type()).isEqualTo("manifest");
        assertThat(evaluate.manifestPath()).isEqualTo(dir.resolve("calls.csv").toAbsolutePath().normalize());
        assertThat(job).as("no enrich: section, not an enrich job").isNotInstanceOf(JobDefinition.Enrich.class);
        assertThat(job).as("no simulate-sms: section").isNotInstanceOf(JobDefinition.SimulateSms.class);
    }

    @Test
    void enrichSectionMakesAnEnrichJobWithItsLocationRelativeToTheFile() throws IOException {
        JobDefinition job = JobDefinitions.loadFile(file("en", """
                name: en
                enrich:
                  location: ../logs
                  type: Manifest
                  resend-in-doubt: true
                submit:
                  rate-limit: 5
                  max-in-flight: 2
                  chunk-size: 10
                """));

        assertThat(job.kind()).isEqualTo(JobDefinition.Kind.ENRICH);
        JobDefinition.Enrich enrich = (JobDefinition.Enrich) job;
        assertThat(enrich.enrich().sourceType()).isEqualTo(LogSourceType.MANIFEST);
        assertThat(enrich.enrich().resendInDoubt()).isTrue();
        assertThat(enrich.enrichLocation()).isEqualTo(dir.toAbsolutePath().getParent().resolve("logs"));
        assertThat(job.submit().rateLimit()).isEqualTo(5);
        assertThat(job.submit().maxInFlight()).isEqualTo(2);
        assertThat(job).as("no source: section, not an evaluate job: it has no manifest").isNotInstanceOf(JobDefinition.Evaluate.class);
    }

    @Test
    void enrichDefaultsLeaveTheTypeToTheLocationAndDoNotResend() throws IOException {
        JobDefinition.Enrich job = (JobDefinition.Enrich) JobDefinitions.loadFile(file("en2", """
                name: en2
                enrich:
                  location: logs
                """));

        assertThat(job.enrich().sourceType()).isNull();
        assertThat(job.enrich().resendInDoubt()).isFalse();
        assertThat(job.submit().chunkSize()).isEqualTo(100);
    }

    @Test
    void simulateSmsSectionBindsTheSettingsRecord() throws IOException {
        JobDefinition job = JobDefinitions.loadFile(file("sms", """
                name: sms
                simulate-sms:
                  wait-for: 10m
                  runs:
                    - simulation-id: sim-1
                      digital-human-ids: [dh-1, dh-2]
                      runs-per-digital-human: 2
                    - simulation-id: sim-2
                """));

        assertThat(job.kind()).isEqualTo(JobDefinition.Kind.SIMULATE_SMS);
        SimulateSmsSettings sms = ((JobDefinition.SimulateSms) job).simulateSms();
        assertThat(sms.waitFor()).isEqualTo(Duration.ofMinutes(10));
        assertThat(sms.pollInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(sms.runs()).extracting(r -> r.simulationId()).containsExactly("sim-1", "sim-2");
        assertThat(sms.runs().get(0).digitalHumanIds()).containsExactly("dh-1", "dh-2");
        assertThat(sms.runs().get(0).runsPerDigitalHuman()).isEqualTo(2);
    }

    @Test
    void dropFolderSectionMakesADropFolderJobWithSiblingPrefixesAndAnEvaluateJobPerManifest() throws IOException {
        JobDefinition job = JobDefinitions.loadFile(file("dr", """
                name: dr
                drop-folder:
                  inbox: s3://bucket/drop/inbox
                  failed: s3://bucket/rejected/
                  poll-interval: 30s
                defaults:
                  agent-id: "77"
                """));

        assertThat(job.kind()).isEqualTo(JobDefinition.Kind.DROP_FOLDER);
        DropFolderSettings drop = ((JobDefinition.DropFolder) job).dropFolder();
        assertThat(drop.inbox()).isEqualTo("s3://bucket/drop/inbox/");
        assertThat(drop.processing()).isEqualTo("s3://bucket/drop/processing/");
        assertThat(drop.done()).isEqualTo("s3://bucket/drop/done/");
        assertThat(drop.failed()).isEqualTo("s3://bucket/rejected/");
        assertThat(drop.pollInterval()).hasSeconds(30);
        assertThat(drop.claimTimeout()).hasHours(6);
        JobDefinition.Evaluate evaluate = ((JobDefinition.DropFolder) job).forDroppedManifest("/tmp/x/calls.csv", "/tmp/x/reports");
        assertThat(evaluate.kind()).isEqualTo(JobDefinition.Kind.EVALUATE);
        assertThat(evaluate.name()).isEqualTo("dr");
        assertThat(evaluate.defaults().agentId()).isEqualTo("77");
        assertThat(evaluate.report().directory()).isEqualTo("/tmp/x/reports");
        assertThatThrownBy(() -> JobDefinitions.loadFile(file("both", """
                name: both
                source:
                  location: calls.csv
                drop-folder:
                  inbox: s3://bucket/drop/inbox/
                """))).isInstanceOf(JobFileException.class).hasMessageContaining("found source: and drop-folder:");
        assertThatThrownBy(() -> JobDefinitions.loadFile(file("local", """
                name: local
                drop-folder:
                  inbox: /srv/drop/
                """))).isInstanceOf(JobFileException.class).hasMessageContaining("drop-folder.inbox must be an s3://bucket/prefix/ location");
    }

    @Test
    void aFileWithoutAnyKindSectionIsRefusedNamingTheThree() throws IOException {
        Path file = file("none", "name: none\n");

        assertThatThrownBy(() -> JobDefinitions.loadFile(file)).isInstanceOf(JobFileException.class)
                .hasMessageStartingWith(file + ": ")
                .hasMessageContaining("exactly one of source:")
                .hasMessageContaining("enrich:")
                .hasMessageContaining("simulate-sms:")
                .hasMessageContaining("found none");
    }

    @Test
    void aFileWithTwoKindSectionsIsRefusedNamingBoth() throws IOException {
        Path file = file("two", """
                name: two
                source:
                  location: calls.csv
                enrich:
                  location: logs
                """);

        assertThatThrownBy(() -> JobDefinitions.loadFile(file)).isInstanceOf(JobFileException.class)
                .hasMessageContaining("found source: and enrich:");
    }

    @Test
    void anUnknownEnrichTypeNamesTheKey() throws IOException {
        Path file = file("bad-type", """
                name: bad-type
                enrich:
                  location: logs
                  type: s3
                """);

        assertThatThrownBy(() -> JobDefinitions.loadFile(file)).isInstanceOf(JobFileException.class)
                .hasMessageContaining("'enrich'")
                .hasMessageContaining("enrich.type must be 'directory' or 'manifest', got 's3'");
    }

    @Test
    void anEnrichSectionWithoutLocationIsRefused() throws IOException {
        Path file = file("no-location", """
                name: no-location
                enrich:
                  resend-in-doubt: true
                """);

        assertThatThrownBy(() -> JobDefinitions.loadFile(file)).isInstanceOf(JobFileException.class)
                .hasMessageContaining("enrich.location is required");
    }

    @Test
    void theSampleJobsAreOfTheirKinds() {
        JobDefinitions jobs = new JobDefinitions(Path.of("jobs"));
        assertThat(jobs.load("sample").kind()).isEqualTo(JobDefinition.Kind.EVALUATE);
        assertThat(jobs.load("sample-with-errors").kind()).isEqualTo(JobDefinition.Kind.EVALUATE);
    }

    @Test
    void aScheduleIsACronExpressionInAZoneUtcByDefault() throws IOException {
        JobDefinition job = JobDefinitions.loadFile(file("nightly", """
                name: nightly
                source:
                  location: calls.csv
                schedule:
                  cron: "0 30 2 * * *"
                """));

        assertThat(job.schedule()).isNotNull();
        assertThat(job.schedule().zone()).isEqualTo("UTC");
        assertThat(job.schedule().next(java.time.Instant.parse("2026-11-21T10:00:00Z")))
                .isEqualTo(java.time.ZonedDateTime.parse("2026-11-22T02:30:00Z[UTC]"));
        JobDefinition paris = JobDefinitions.loadFile(file("paris", """
                name: paris
                source:
                  location: calls.csv
                schedule:
                  cron: "0 0 2 * * MON-FRI"
                  zone: Europe/Paris
                """));
        assertThat(paris.schedule().next(java.time.Instant.parse("2026-11-21T10:00:00Z")).toInstant())
                .isEqualTo(java.time.Instant.parse("2026-11-23T01:00:00Z")); // Saturday -> Monday 02:00 CET
    }

    @Test
    void aBadCronExpressionOrZoneIsRefusedNamingTheKey() throws IOException {
        Path badCron = file("bad-cron", """
                name: bad-cron
                source:
                  location: calls.csv
                schedule:
                  cron: "0 0 2 * *"
                """);
        assertThatThrownBy(() -> JobDefinitions.loadFile(badCron)).isInstanceOf(JobFileException.class)
                .hasMessageContaining("bad-cron.yaml").hasMessageContaining("schedule.cron '0 0 2 * *' is not a cron expression");
        Path badZone = file("bad-zone", """
                name: bad-zone
                source:
                  location: calls.csv
                schedule:
                  cron: "0 0 2 * * *"
                  zone: Mars/Olympus
                """);
        assertThatThrownBy(() -> JobDefinitions.loadFile(badZone)).isInstanceOf(JobFileException.class)
                .hasMessageContaining("schedule.zone 'Mars/Olympus' is not a time zone");
    }

    @Test
    void launchParametersReplaceTheSourceAndUnknownOnesAreRefused() throws IOException {
        JobDefinition job = JobDefinitions.loadFile(file("ev", """
                name: ev
                source:
                  location: calls.csv
                """));

        assertThat(((JobDefinition.Evaluate) job.withParameters(java.util.Map.of("source", "other/today.csv"))).manifestPath())
                .isEqualTo(dir.resolve("other/today.csv").toAbsolutePath().normalize());
        assertThat(((JobDefinition.Evaluate) job.withParameters(java.util.Map.of("source", "/abs/today.csv"))).manifestPath()).isEqualTo(Path.of("/abs/today.csv"));
        assertThat(job.withParameters(java.util.Map.of())).isEqualTo(job);
        assertThatThrownBy(() -> job.withParameters(java.util.Map.of("colour", "blue"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown job parameter 'colour' (ev takes: date, source)");
        assertThatThrownBy(() -> job.withParameters(java.util.Map.of("date", "2026-11-20"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("job parameter 'date' applies to s3-prefix sources only; ev has none");
    }

    @Test
    void allListsTheJobFilesByNameAndFailsOnABadOne() throws IOException {
        file("b", "name: b\nsource:\n  location: calls.csv\n");
        file("a", "name: a\nenrich:\n  location: logs\n");
        Files.writeString(dir.resolve("notes.txt"), "not a job");

        assertThat(new JobDefinitions(dir).all()).containsOnlyKeys("a", "b");
        assertThat(new JobDefinitions(dir.resolve("missing")).all()).isEmpty();
        file("c", "name: c\nsource:\n  location: calls.csv\nschedule:\n  cron: nonsense\n");
        assertThatThrownBy(() -> new JobDefinitions(dir).all()).isInstanceOf(JobFileException.class).hasMessageContaining("c.yaml");
    }

    @Test
    void theS3SampleJobReadsItsManifestFromS3AndUploadsItsReport() {
        JobDefinition.Evaluate s3 = (JobDefinition.Evaluate) new JobDefinitions(Path.of("jobs")).load("sample-s3");
        assertThat(s3.manifest()).hasToString("s3://calleval-demo/northwind/manifests/calls.csv");
        assertThat(s3.report().upload()).hasToString("s3://calleval-demo/reports");
        assertThat(s3.report().localPath()).isEqualTo(Path.of("reports"));
        assertThat(s3.defaults().recordingUrlTooLong()).isEqualTo(dev.calleval.mapping.S3Recordings.UrlTooLong.REJECT);
        assertThatThrownBy(s3::manifestPath).isInstanceOf(IllegalStateException.class);
    }
}
