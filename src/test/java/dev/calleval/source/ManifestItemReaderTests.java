package dev.calleval.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.infrastructure.item.ExecutionContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManifestItemReaderTests {

    private static final Path SAMPLE_MANIFEST = Path.of("sample-data/manifests/calls.csv");

    @TempDir
    Path dir;

    @Test
    void readsEverySampleRowWithItsLineAndValuesByLogicalName() {
        List<CallRecord> records = readAll(new ManifestItemReader(SAMPLE_MANIFEST, "calls.csv", ColumnMapping.identity()));

        assertThat(records).hasSize(15);
        assertThat(records).extracting(r -> r.source().line())
                .containsExactly(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L, 16L);
        assertThat(records).extracting(r -> r.callId().orElseThrow())
                .containsExactly("nw-2026-11-19-0001", "nw-2026-11-19-0002", "nw-2026-11-19-0003", "nw-2026-11-19-0004",
                        "nw-2026-11-19-0005", "nw-2026-11-19-0006", "nw-2026-11-19-0007", "nw-2026-11-19-0008",
                        "nw-2026-11-19-0009", "nw-2026-11-19-0010", "nw-2026-11-19-0011", "nw-2026-11-19-0012",
                        "nw-2026-11-19-0013", "nw-2026-11-19-0014", "nw-2026-11-19-0015");
        assertThat(records).allSatisfy(r -> {
            assertThat(r.problem()).isNull();
            assertThat(r.source().location()).isEqualTo("calls.csv");
            assertThat(r.baseDirectory()).isEqualTo(SAMPLE_MANIFEST.toAbsolutePath().getParent());
        });

        CallRecord first = records.get(0);
        assertThat(first.source()).hasToString("calls.csv:2");
        assertThat(first.value("agent_id")).contains("1234");
        assertThat(first.value("start_time_utc")).contains("2026-11-19T08:02:11Z");
        assertThat(first.value("recording")).contains("../recordings/nw-2026-11-19-0001.wav");
        assertThat(first.value("transcript")).contains("../transcripts/nw-2026-11-19-0001.json");
        assertThat(first.value("agent_name")).contains("Nora (Northwind AI)");
        assertThat(first.value("customer_name")).contains("Maria Alvarez");
        assertThat(first.value("tags")).contains("orders;nightly");
        assertThat(first.value("sidecar")).contains("../sidecars/nw-2026-11-19-0001.json");
        assertThat(first.value("metadata.queue")).contains("orders");
        assertThat(first.value("metadata.customer_tier")).contains("gold");
        // blank cells are absent, not empty strings
        assertThat(first.value("tool_calls")).isEmpty();
        assertThat(first.value("custom_metrics")).isEmpty();
        assertThat(first.values()).doesNotContainValue("");

        CallRecord quotedComma = records.get(13);
        assertThat(quotedComma.source().line()).isEqualTo(15);
        assertThat(quotedComma.value("customer_name")).contains("Walter Brooks, Jr.");
        assertThat(quotedComma.value("custom_metrics")).contains("c2a9e7f1-4b6d-4e21-8f3a-9d0b5c6e7a18");
        assertThat(records.get(5).value("customer_phone")).isEmpty();
    }

    @Test
    void mapsRenamedHeadersToLogicalNames() throws IOException {
        Path csv = write("renamed.csv", """
                Call ID,When,metadata.queue
                c-1,2026-11-19T08:02:11Z,orders
                """);
        ColumnMapping columns = new ColumnMapping(Map.of("call_id", "Call ID", "start_time_utc", " When "));

        List<CallRecord> records = readAll(new ManifestItemReader(csv, "renamed.csv", columns));

        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.callId()).contains("c-1");
            assertThat(r.value("start_time_utc")).contains("2026-11-19T08:02:11Z");
            assertThat(r.value("metadata.queue")).contains("orders");
            assertThat(r.values()).doesNotContainKeys("Call ID", "When");
        });
    }

    @Test
    void stripsByteOrderMarkFromTheFirstHeader() throws IOException {
        Path csv = dir.resolve("bom.csv");
        Files.write(csv, "\uFEFFcall_id,agent_id\nc-1,1234\n".getBytes(StandardCharsets.UTF_8));

        List<CallRecord> records = readAll(new ManifestItemReader(csv, "bom.csv", ColumnMapping.identity()));

        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.callId()).contains("c-1");
            assertThat(r.values()).containsOnlyKeys("call_id", "agent_id");
            assertThat(r.source().line()).isEqualTo(2);
        });
    }

    @Test
    void countsLinesInsideQuotedFieldsTowardsTheNextRowsStartLine() throws IOException {
        Path csv = write("multiline.csv", """
                call_id,agent_name,customer_name
                c-1,"Nora
                (Northwind AI)",Maria
                c-2,Nora,Sam
                """);

        List<CallRecord> records = readAll(new ManifestItemReader(csv, "multiline.csv", ColumnMapping.identity()));

        assertThat(records).hasSize(2);
        assertThat(records.get(0).source().line()).isEqualTo(2);
        assertThat(records.get(0).value("agent_name")).contains("Nora\n(Northwind AI)");
        assertThat(records.get(1).source().line()).isEqualTo(4);
        assertThat(records.get(1).callId()).contains("c-2");
    }

    @Test
    void flagsRowWithMoreFieldsThanTheHeaderAndReadsOn() throws IOException {
        Path csv = write("extra.csv", """
                call_id,agent_name,customer_name
                c-1,Nora,Maria,surprise
                c-2,Nora,Sam
                """);

        List<CallRecord> records = readAll(new ManifestItemReader(csv, "extra.csv", ColumnMapping.identity()));

        assertThat(records).hasSize(2);
        assertThat(records.get(0).problem()).startsWith("the row has 4 cells but the header has 3");
        assertThat(records.get(0).callId()).contains("c-1");
        assertThat(records.get(0).values()).doesNotContainValue("surprise");
        assertThat(records.get(1).problem()).isNull();
        assertThat(records.get(1).source().line()).isEqualTo(3);
    }

    @Test
    void skipsBlankLinesBetweenRows() throws IOException {
        Path csv = write("blank.csv", "call_id,agent_name\nc-1,Nora\n\n\nc-2,Nora\n\n");

        List<CallRecord> records = readAll(new ManifestItemReader(csv, "blank.csv", ColumnMapping.identity()));

        assertThat(records).extracting(r -> r.callId().orElseThrow()).containsExactly("c-1", "c-2");
        assertThat(records.get(0).source().line()).isEqualTo(2);
    }

    @Test
    void reportsTheLineARowStartsOnAfterBlankLines() throws IOException {
        Path csv = write("blank-lines.csv", "call_id,agent_name\nc-1,Nora\n\n\nc-2,Nora\n");

        List<CallRecord> records = readAll(new ManifestItemReader(csv, "blank-lines.csv", ColumnMapping.identity()));

        // lines: 1 header, 2 c-1, 3 and 4 blank, 5 c-2
        assertThat(records).extracting(r -> r.source().line()).containsExactly(2L, 5L);
    }

    @Test
    void countsWindowsLineEndingsOnce() throws IOException {
        Path csv = write("crlf.csv", "call_id,agent_name\r\nc-1,Nora\r\nc-2,\"Nora\r\nAI\"\r\nc-3,Nora\r\n");

        List<CallRecord> records = readAll(new ManifestItemReader(csv, "crlf.csv", ColumnMapping.identity()));

        assertThat(records).extracting(r -> r.source().line()).containsExactly(2L, 3L, 5L);
    }

    @Test
    void restartsAfterTheRecordsSavedInTheExecutionContext() {
        ExecutionContext context = new ExecutionContext();
        ManifestItemReader first = new ManifestItemReader(SAMPLE_MANIFEST, "calls.csv", ColumnMapping.identity());
        first.open(context);
        for (int i = 0; i < 5; i++) {
            assertThat(first.read()).isNotNull();
        }
        first.update(context);
        first.close();

        ManifestItemReader restarted = new ManifestItemReader(SAMPLE_MANIFEST, "calls.csv", ColumnMapping.identity());
        restarted.open(context);
        try {
            CallRecord sixth = restarted.read();
            assertThat(sixth).isNotNull();
            assertThat(sixth.callId()).contains("nw-2026-11-19-0006");
            assertThat(sixth.source().line()).isEqualTo(7);
            int rest = 1;
            while (restarted.read() != null) {
                rest++;
            }
            assertThat(rest).isEqualTo(10);
            restarted.update(context);
            assertThat(context.getLong("manifest.records")).isEqualTo(15);
        } finally {
            restarted.close();
        }
    }

    @Test
    void failsWithTheFileNameWhenTheManifestIsMissing() {
        ManifestItemReader reader = new ManifestItemReader(dir.resolve("nope.csv"), "manifests/nope.csv", ColumnMapping.identity());

        assertThatThrownBy(() -> reader.open(new ExecutionContext()))
                .isInstanceOf(ManifestException.class)
                .hasMessageContaining("manifests/nope.csv")
                .hasMessageContaining("not found");
    }

    @Test
    void failsWithFileAndLineOnAnUnclosedQuote() throws IOException {
        Path csv = write("unclosed.csv", """
                call_id,agent_name
                c-1,Nora
                c-2,"Nora
                c-3,Nora
                """);
        ManifestItemReader reader = new ManifestItemReader(csv, "unclosed.csv", ColumnMapping.identity());
        reader.open(new ExecutionContext());
        try {
            assertThat(reader.read()).isNotNull();
            assertThat(reader.syntaxError()).isNull();
            CallRecord broken = reader.read();
            assertThat(broken.source()).hasToString("unclosed.csv:3");
            assertThat(broken.problem()).startsWith("CSV syntax error").contains("the read of unclosed.csv ended here");
            assertThat(reader.read()).as("the read ends at the broken line").isNull();
            assertThat(reader.syntaxError()).isInstanceOf(ManifestException.class)
                    .hasMessageStartingWith("unclosed.csv:3: CSV syntax error")
                    .hasMessageContaining("the rows before line 3 were processed");
        } finally {
            reader.close();
        }
    }

    @Test
    void failsOnAnEmptyFile() throws IOException {
        Path csv = write("empty.csv", "");
        ManifestItemReader reader = new ManifestItemReader(csv, "empty.csv", ColumnMapping.identity());

        assertThatThrownBy(() -> reader.open(new ExecutionContext()))
                .isInstanceOf(ManifestException.class)
                .hasMessageStartingWith("empty.csv: the manifest is empty");
    }

    @Test
    void aManifestRefusedAtItsHeaderIsClosedAtOnce() throws IOException {
        Path utf16 = dir.resolve("utf16.csv");
        Files.write(utf16, "call_id,agent_id\nc-1,1234\n".getBytes(StandardCharsets.UTF_16));
        Path empty = write("empty.csv", "");

        for (Path csv : List.of(utf16, empty)) {
            ManifestItemReader reader = new ManifestItemReader(csv, csv.getFileName().toString(), ColumnMapping.identity());
            assertThatThrownBy(() -> reader.open(new ExecutionContext())).isInstanceOf(ManifestException.class);
            assertThat(openDescriptorsOf(csv)).as("file descriptors still open on %s", csv).isZero();
        }
    }

    /** How many of this JVM's file descriptors point at {@code file} (Linux /proc; 0 elsewhere). */
    private static long openDescriptorsOf(Path file) throws IOException {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return 0;
        }
        Path target = file.toRealPath();
        try (var links = Files.list(fds)) {
            return links.filter(link -> {
                try {
                    return Files.readSymbolicLink(link).equals(target);
                } catch (IOException | UnsupportedOperationException e) {
                    return false; // closed meanwhile
                }
            }).count();
        }
    }

    @Test
    void flagsRowWithFewerCellsThanTheHeaderNamingBothCounts() throws IOException {
        Path csv = write("short.csv", """
                call_id,agent_name,customer_name
                c-1,Nora
                c-2,Nora,Sam
                """);

        List<CallRecord> records = readAll(new ManifestItemReader(csv, "short.csv", ColumnMapping.identity()));

        assertThat(records.get(0).problem()).startsWith("the row has 2 cells but the header has 3");
        assertThat(records.get(1).problem()).isNull();
    }

    @Test
    void readsAGzipCompressedManifestWhateverItIsCalled() throws IOException {
        byte[] csv = "\uFEFFcall_id,agent_name\nc-1,Nora\nc-2,Sam\n".getBytes(StandardCharsets.UTF_8);
        for (String name : List.of("calls.csv.gz", "calls.csv")) {
            Path gz = dir.resolve(name);
            try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
                out.write(csv);
            }
            ManifestItemReader reader = new ManifestItemReader(gz, name, ColumnMapping.identity());
            assertThat(reader.check().columns()).as(name).containsExactly("call_id", "agent_name");

            ManifestItemReader again = new ManifestItemReader(gz, name, ColumnMapping.identity());
            List<CallRecord> records = readAll(again);
            assertThat(records).as(name).extracting(r -> r.callId().orElseThrow()).containsExactly("c-1", "c-2");
            assertThat(again.readFraction()).isEqualTo(1.0);
        }
    }

    @Test
    void gzipDataCutShortEndsTheReadAtItsLineSayingSo() throws IOException {
        StringBuilder csv = new StringBuilder("call_id,agent_name\n");
        for (int i = 1; i <= 2000; i++) {
            csv.append("c-").append(i).append(",Nora ").append(Integer.toHexString(i * 7919)).append('\n');
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.GZIPOutputStream(bytes)) {
            out.write(csv.toString().getBytes(StandardCharsets.UTF_8));
        }
        byte[] whole = bytes.toByteArray();
        Path cut = dir.resolve("cut.csv.gz");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));

        ManifestItemReader reader = new ManifestItemReader(cut, "cut.csv.gz", ColumnMapping.identity());
        List<CallRecord> records = readAll(reader);

        CallRecord last = records.get(records.size() - 1);
        assertThat(records.size()).isBetween(2, 2000);
        assertThat(records.subList(0, records.size() - 1)).allSatisfy(r -> assertThat(r.problem()).isNull());
        assertThat(last.problem()).startsWith("the gzip data is damaged or cut short");
        assertThat(reader.syntaxError()).hasMessageStartingWith("cut.csv.gz:" + last.source().line() + ": the gzip data is damaged or cut short");
    }

    @Test
    void refusesUtf16AndZipAtTheFirstBytesSayingWhatToDo() throws IOException {
        Path utf16 = dir.resolve("utf16.csv");
        Files.write(utf16, concat(new byte[] {(byte) 0xff, (byte) 0xfe}, "call_id,agent_id\nc-1,1234\n".getBytes(StandardCharsets.UTF_16LE)));
        Path xlsx = dir.resolve("calls.csv.xlsx");
        Files.write(xlsx, new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0});

        assertThatThrownBy(() -> new ManifestItemReader(utf16, "utf16.csv", ColumnMapping.identity()).check())
                .isInstanceOf(ManifestException.class)
                .hasMessage("utf16.csv: the manifest is UTF-16 text (byte order mark ff fe): save it as UTF-8 (in Excel: Save As, CSV UTF-8)");
        assertThatThrownBy(() -> new ManifestItemReader(xlsx, "calls.csv.xlsx", ColumnMapping.identity()).check())
                .isInstanceOf(ManifestException.class)
                .hasMessageContaining("is a ZIP archive");
    }

    @Test
    void theHeaderListsTheColumnsItIgnoresWithTheOnesProbablyMeant() throws IOException {
        Path csv = write("cols.csv", "call_id,agent,start_time,metadata.queue,Caller Name,\nc-1,1,2,3,4,\n");

        ManifestHeader header = new ManifestItemReader(csv, "cols.csv", new ColumnMapping(Map.of("customer_name", "Caller Name"))).check();

        assertThat(header.unknown()).containsExactly("agent", "start_time");
        assertThat(header.warning()).hasValueSatisfying(w -> assertThat(w)
                .startsWith("cols.csv: unknown columns agent, start_time, ignored (did you mean: agent → agent_id, start_time → start_time_utc?)")
                .contains("known columns: call_id, agent_id,").contains("Caller Name").contains("metadata.<key>"));
        assertThat(new ManifestItemReader(SAMPLE_MANIFEST, "calls.csv", ColumnMapping.identity()).check().warning()).isEmpty();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static List<CallRecord> readAll(ManifestItemReader reader) {
        reader.open(new ExecutionContext());
        try {
            List<CallRecord> out = new ArrayList<>();
            CallRecord record;
            while ((record = reader.read()) != null) {
                out.add(record);
            }
            return out;
        } finally {
            reader.close();
        }
    }
}
