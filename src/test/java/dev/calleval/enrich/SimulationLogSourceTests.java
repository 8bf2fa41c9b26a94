package dev.calleval.enrich;

import dev.calleval.jobfile.LogSourceType;
import dev.calleval.source.ManifestException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.infrastructure.item.ExecutionContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimulationLogSourceTests {
    private static final Path SAMPLE = Path.of("sample-data/simulation-logs");

    @TempDir
    Path dir;

    private static List<SimulationLog> all(SimulationLogSource source) {
        try (Stream<SimulationLog> logs = source.logs()) {
            return logs.toList();
        }
    }

    @Test
    void aDirectoryListsItsJsonFilesByNumericIdAndIgnoresEverythingElse() throws IOException {
        for (String name : List.of("10.json", "9.json", "notes.json", "README.md", ".hidden.json", "100.JSON")) {
            Files.writeString(dir.resolve(name), "{}");
        }
        Files.createDirectory(dir.resolve("sub.json"));

        List<SimulationLog> logs = all(SimulationLogSource.of(dir, null));

        assertThat(logs).extracting(SimulationLog::declaredId).containsExactly("9", "10", "100", "notes");
        assertThat(logs).extracting(SimulationLog::seq).containsExactly(1L, 2L, 3L, 4L);
        assertThat(logs).allSatisfy(log -> {
            assertThat(log.line()).isZero();
            assertThat(log.declaredIdOrigin()).isEqualTo("the file name");
            assertThat(log.problem()).isNull();
        });
        assertThat(logs.get(0).file()).isEqualTo(dir.resolve("9.json").toString());
    }

    @Test
    void theSampleDirectoryHoldsThreeLogsNamedRelativeToTheWorkingDirectory() throws IOException {
        List<SimulationLog> logs = all(SimulationLogSource.of(SAMPLE, null));

        assertThat(logs).extracting(SimulationLog::file).containsExactly("sample-data/simulation-logs/716977.json",
                "sample-data/simulation-logs/716978.json", "sample-data/simulation-logs/716979.json");
        try (InputStream in = logs.get(0).content().open()) {
            assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(SAMPLE.resolve("716977.json")));
        }
    }

    @Test
    void aManifestListsItsRowsWithLinesAndPathsRelativeToIt() {
        List<SimulationLog> logs = all(SimulationLogSource.of(SAMPLE.resolve("manifest.csv"), null));

        assertThat(logs).extracting(SimulationLog::declaredId).containsExactly("716977", "716978", "716979");
        assertThat(logs).extracting(SimulationLog::line).containsExactly(2L, 3L, 4L);
        assertThat(logs).extracting(SimulationLog::file).containsExactly("sample-data/simulation-logs/716977.json",
                "sample-data/simulation-logs/716978.json", "sample-data/simulation-logs/716979.json");
        assertThat(logs).allSatisfy(log -> assertThat(log.declaredIdOrigin()).isEqualTo("the manifest"));
    }

    @Test
    void manifestRowsWithoutPathOrWithExtraFieldsAreListedWithAProblem() throws IOException {
        Path manifest = dir.resolve("m.csv");
        Files.writeString(manifest, "\uFEFFnote,log,simulation_result_id\n"
                + "a,logs/1.json,1\n"
                + "\n"
                + "b,,2\n"
                + "c,s3://bucket/3.json,3\n"
                + "d,4.json,4,extra\n"
                + "e,/abs/5.json,\n");

        List<SimulationLog> logs = all(new ManifestLogSource(manifest));

        assertThat(logs).extracting(SimulationLog::line).containsExactly(2L, 4L, 5L, 6L, 7L);
        assertThat(logs.get(0).file()).isEqualTo(dir.resolve("logs/1.json").toString());
        assertThat(logs.get(0).problem()).isNull();
        assertThat(logs.get(1).problem()).isEqualTo(new SimulationLog.Problem("log", "log is empty; give the log file's path, relative to the manifest"));
        assertThat(logs.get(1).file()).isEqualTo(manifest + ":4");
        assertThat(logs.get(2).problem().reason()).contains("is a URL");
        assertThat(logs.get(3).problem().field()).isEqualTo("row");
        assertThat(logs.get(4).file()).isEqualTo("/abs/5.json");
        assertThat(logs.get(4).declaredId()).isNull();
    }

    @Test
    void aManifestWithoutLogColumnOrAMissingLocationEndsTheListing() throws IOException {
        Path manifest = dir.resolve("m.csv");
        Files.writeString(manifest, "simulation_result_id,file\n1,1.json\n");

        assertThatThrownBy(() -> all(new ManifestLogSource(manifest))).isInstanceOf(ManifestException.class)
                .hasMessageContaining("m.csv:1: the header has no 'log' column");
        assertThatThrownBy(() -> all(new ManifestLogSource(dir.resolve("none.csv")))).isInstanceOf(ManifestException.class)
                .hasMessageContaining("manifest file not found");
        assertThatThrownBy(() -> all(new DirectoryLogSource(dir.resolve("none")))).isInstanceOf(ManifestException.class)
                .hasMessageContaining("not a directory");
    }

    @Test
    void aCsvSyntaxErrorNamesItsLine() throws IOException {
        Path manifest = dir.resolve("m.csv");
        Files.writeString(manifest, "simulation_result_id,log\n1,1.json\n2,\"2.json\n");

        assertThatThrownBy(() -> all(new ManifestLogSource(manifest))).isInstanceOf(ManifestException.class)
                .hasMessageContaining("m.csv:3: CSV syntax error");
    }

    @Test
    void theReaderHandsOnEveryLogAndReadsFromTheTopWhenOpenedAgain() {
        SimulationLogItemReader reader = new SimulationLogItemReader(SimulationLogSource.of(SAMPLE, LogSourceType.DIRECTORY));
        ExecutionContext context = new ExecutionContext();
        for (int round = 0; round < 2; round++) {
            reader.open(context);
            List<String> ids = new ArrayList<>();
            SimulationLog log;
            while ((log = reader.read()) != null) {
                ids.add(log.declaredId());
            }
            reader.update(context);
            reader.close();
            assertThat(ids).containsExactly("716977", "716978", "716979");
            assertThat(context.getLong(SimulationLogItemReader.READ_KEY)).isEqualTo(3);
        }
    }
}
