package dev.calleval.export;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SequenceWriter;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON Lines form of an export: one {@link ExportedCall} per line, snake_case, every key present ({@code null}
 * when unknown), times as ISO-8601 UTC instants; {@code metadata} is the object the call was sent with, and
 * {@code custom_metrics} an object of the evaluation's results by metric name (docs/export.md shows a record).
 */
final class JsonlExport implements CallSink {
    private static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .changeDefaultPropertyInclusion(incl -> incl.withValueInclusion(JsonInclude.Include.ALWAYS))
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE)
            .build();

    private final Writer out;
    private final SequenceWriter lines;
    private boolean any;

    JsonlExport(Writer out) {
        this.out = out;
        try {
            this.lines = JSON.writer().withRootValueSeparator("\n").writeValues(out);
        } catch (JacksonException e) {
            throw new UncheckedIOException(new IOException(e.getMessage(), e));
        }
    }

    @Override
    public void write(ExportedCall call) {
        try {
            lines.write(call);
            any = true;
        } catch (JacksonException e) {
            throw new UncheckedIOException(new IOException(e.getMessage(), e));
        }
    }

    @Override
    public void finish() {
        try {
            lines.close();
            if (any) {
                out.write('\n');
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
