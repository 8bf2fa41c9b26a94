package dev.calleval.jobfile;

import dev.calleval.bluejay.ParticipantRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Job files are strict: an unknown key, a value of the wrong type, each is refused naming file, line and key. */
class StrictJobFileTests {

    @TempDir
    Path dir;

    private Path file(String yaml) throws IOException {
        Path file = dir.resolve("x.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void everyJobFileOfTheRepositoryLoads() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of("jobs"))) {
            files = walk.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                    .filter(f -> !f.startsWith(Path.of("jobs/deploy"))) // Kubernetes manifests, not job files
                    .toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(7);
        for (Path f : files) {
            assertThat(JobDefinitions.loadFile(f).name()).as(f.toString()).isNotBlank();
        }
    }

    @Test
    void aMisspeltTopLevelKeyIsRefusedWithTheKeyMeant() throws IOException {
        Path file = file("""
                name: x
                source:
                  location: calls.csv
                schedul:
                  cron: "0 0 2 * * *"
                """);

        assertThatThrownBy(() -> JobDefinitions.loadFile(file)).isInstanceOf(JobFileException.class)
                .hasMessageStartingWith(file + ":5: unknown key 'schedul.cron'")
                .hasMessageContaining("did you mean 'schedule'?");
    }

    @Test
    void aMisspeltNestedKeyIsRefusedWithTheKeyMeantInItsSection() throws IOException {
        Path file = file("""
                name: x
                source:
                  location: calls.csv
                submit:
                  rate-limits: banana
                  retry:
                    max-atempts: 3
                """);

        assertThatThrownBy(() -> JobDefinitions.loadFile(file)).isInstanceOf(JobFileException.class)
                .hasMessageContaining(file + ":5: unknown key 'submit.rate-limits': 'rate-limits' is not a key of submit (did you mean 'submit.rate-limit'?)")
                .hasMessageContaining(file + ":7: unknown key 'submit.retry.max-atempts'")
                .hasMessageContaining("did you mean 'submit.retry.max-attempts'?")
                .hasMessageNotContaining("\n");
    }

    @Test
    void anUnknownKeyFarFromAnyListsTheKeysOfItsSection() throws IOException {
        Path file = file("""
                name: x
                source:
                  location: calls.csv
                results:
                  colour: blue
                """);

        assertThatThrownBy(() -> JobDefinitions.loadFile(file)).isInstanceOf(JobFileException.class)
                .hasMessageContaining("unknown key 'results.colour'")
                .hasMessageContaining("keys of results: poll-after, poll-interval, window");
    }

    @Test
    void keysUnderAValueAreRefused() throws IOException {
        Path file = file("""
                name: x
                source:
                  location: calls.csv
                defaults:
                  agent-id:
                    value: "1234"
                """);

        assertThatThrownBy(() -> JobDefinitions.loadFile(file)).isInstanceOf(JobFileException.class)
                .hasMessageContaining("defaults.agent-id");
    }

    @Test
    void aValueOfTheWrongTypeNamesKeyValueAndWhatIsExpected() throws IOException {
        Path rate = file("""
                name: x
                source:
                  location: calls.csv
                submit:
                  rate-limit: banana
                """);
        assertThatThrownBy(() -> JobDefinitions.loadFile(rate)).isInstanceOf(JobFileException.class)
                .hasMessage(rate + ":5: submit.rate-limit: \"banana\" is not a number");

        Path duration = file("""
                name: x
                source:
                  location: calls.csv
                results:
                  window: six hours
                """);
        assertThatThrownBy(() -> JobDefinitions.loadFile(duration)).isInstanceOf(JobFileException.class)
                .hasMessageStartingWith(duration + ":5: results.window: \"six hours\" is not a duration");

        Path role = file("""
                name: x
                source:
                  location: calls.csv
                transcript:
                  speakers:
                    first-speaker: caller
                """);
        assertThatThrownBy(() -> JobDefinitions.loadFile(role)).isInstanceOf(JobFileException.class)
                .hasMessage(role + ":6: transcript.speakers.first-speaker: \"caller\" is not one of agent, user");
    }

    @Test
    void mapSectionsTakeAnyKey() throws IOException {
        JobDefinition.Evaluate job = (JobDefinition.Evaluate) JobDefinitions.loadFile(file("""
                name: x
                source:
                  location: calls.csv
                  columns:
                    call_id: Call ID
                defaults:
                  agent-id: "1"
                  metadata:
                    team: north
                    cost-centre: "42"
                transcript:
                  speakers:
                    labels:
                      spk_0: AGENT
                      Caller: USER
                    channels:
                      0: AGENT
                """));

        assertThat(job.source().columns()).containsEntry("call_id", "Call ID");
        assertThat(job.defaults().metadata()).containsEntry("team", "north").containsEntry("cost-centre", "42");
        assertThat(job.transcript().speakers().labels()).containsEntry("spk_0", ParticipantRole.AGENT).containsEntry("Caller", ParticipantRole.USER);
        assertThat(job.transcript().speakers().channels()).containsEntry(0, ParticipantRole.AGENT);
    }

    @Test
    void listSectionsBindStrictlyToo() throws IOException {
        Path file = file("""
                name: x
                simulate-sms:
                  runs:
                    - simulation-id: "30425"
                      phone: "+15550100"
                """);

        assertThatThrownBy(() -> JobDefinitions.loadFile(file)).isInstanceOf(JobFileException.class)
                .hasMessageContaining("unknown key 'simulate-sms.runs[0].phone'");
    }
}
