package dev.calleval.jobfile;

import dev.calleval.bluejay.ParticipantRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The job file's {@code transcript.speakers.unlabelled}: the role of a transcript that does not say who spoke. */
class TranscriptSectionTests {
    @TempDir
    Path dir;

    private JobDefinition.Evaluate load(String speakers) throws IOException {
        Path file = dir.resolve("t.yaml");
        Files.writeString(file, """
                name: t
                source:
                  location: calls.csv
                transcript:
                  speakers:
                %s
                """.formatted(speakers.indent(4).stripTrailing()));
        return (JobDefinition.Evaluate) JobDefinitions.loadFile(file);
    }

    @Test
    void unlabelledIsUnsetByDefaultSoASpeakerlessTranscriptIsRefused() throws IOException {
        assertThat(load("strategy: auto").transcript().speakerMapping().unlabelled()).isNull();
    }

    @Test
    void unlabelledNamesTheRoleOfASpeakerlessTranscript() throws IOException {
        assertThat(load("unlabelled: user").transcript().speakerMapping().unlabelled()).isEqualTo(ParticipantRole.USER);
        assertThat(load("unlabelled: AGENT").transcript().speakerMapping().unlabelled()).isEqualTo(ParticipantRole.AGENT);
    }

    @Test
    void anUnlabelledValueOtherThanARoleIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> load("unlabelled: nobody")).isInstanceOf(JobFileException.class)
                .hasMessageContaining("unlabelled");
    }
}
