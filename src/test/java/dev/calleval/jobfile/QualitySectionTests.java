package dev.calleval.jobfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.calleval.quality.Threshold;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job file's {@code quality:} section: read in compare's threshold grammar, strictly. */
class QualitySectionTests {

    @TempDir
    Path dir;

    private Path file(String quality) throws IOException {
        Path file = dir.resolve("q.yaml");
        Files.writeString(file, """
                name: q
                source:
                  location: calls.csv
                """ + quality);
        return file;
    }

    @Test
    void readsThresholdsAlphaAndBaseline() throws IOException {
        JobDefinition.Evaluate job = (JobDefinition.Evaluate) JobDefinitions.loadFile(file("""
                quality:
                  max-drop: [goal_success=5pp, "metric:Resolved on first contact=10pp"]
                  max-rise: [latency_p90=20%]
                  alpha: 0.01
                  baseline-last: 3
                """));

        assertThat(job.quality()).isNotNull();
        assertThat(job.quality().baselineLast()).isEqualTo(3);
        assertThat(job.quality().comparison().alpha()).isEqualTo(0.01);
        assertThat(job.quality().comparison().thresholds().thresholds()).extracting(Threshold::shown)
                .containsExactly("goal_success=5pp", "metric:Resolved on first contact=10pp", "latency_p90=20%");
    }

    @Test
    void withoutTheSectionThereIsNoneAndAnEmptyOneMeansTheDefaults() throws IOException {
        assertThat(((JobDefinition.Evaluate) JobDefinitions.loadFile(file(""))).quality()).isNull();
        JobDefinition.Evaluate empty = (JobDefinition.Evaluate) JobDefinitions.loadFile(file("""
                quality:
                  baseline-last: 7
                """));
        assertThat(empty.quality().comparison().thresholds()).isEqualTo(dev.calleval.quality.Thresholds.DEFAULTS);
    }

    @Test
    void aMalformedThresholdOrUnknownKeyIsRefusedNamingTheFile() throws IOException {
        Path bad = file("""
                quality:
                  max-drop: [goal=5pp]
                """);
        assertThatThrownBy(() -> JobDefinitions.loadFile(bad)).isInstanceOf(JobFileException.class)
                .hasMessageStartingWith(bad.toString()).hasMessageContaining("unknown metric 'goal'");
        Path misspelt = file("""
                quality:
                  max-drops: [goal_success=5pp]
                """);
        assertThatThrownBy(() -> JobDefinitions.loadFile(misspelt)).isInstanceOf(JobFileException.class)
                .hasMessageContaining("unknown key 'quality.max-drops[0]'").hasMessageContaining("did you mean 'quality.max-drop'?");
        Path alpha = file("""
                quality:
                  alpha: 2
                """);
        assertThatThrownBy(() -> JobDefinitions.loadFile(alpha)).isInstanceOf(JobFileException.class).hasMessageContaining("alpha must be between 0 and 1");
    }
}
