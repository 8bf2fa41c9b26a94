package dev.calleval.monitoring;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.logging.logback.StructuredLogEncoder;

/**
 * The console's log encoder ({@code logback-spring.xml}): Spring Boot's structured format when
 * {@code logging.structured.format.console} is set ({@code CALLEVAL_LOG_FORMAT=json}, see
 * {@link LogFormatEnvironmentPostProcessor}), else the text pattern {@code logging.pattern.console}. Spring Boot's own
 * console appender writes to stdout; calleval's writes to stderr, so that stdout holds only a command's results, and
 * logback's configuration cannot pick an encoder by a property without Janino: this one picks at start.
 */
public class ConsoleLogEncoder extends EncoderBase<ILoggingEvent> {
    private @Nullable String pattern;
    private @Nullable String format;
    private Charset charset = StandardCharsets.UTF_8;
    private @Nullable Encoder<ILoggingEvent> delegate;

    /** The text pattern ({@code CONSOLE_LOG_PATTERN}). */
    public void setPattern(String pattern) {
        this.pattern = pattern;
    }

    /** The structured format ({@code CONSOLE_LOG_STRUCTURED_FORMAT}: {@code ecs}, {@code logstash}, {@code gelf}); blank: text. */
    public void setFormat(String format) {
        this.format = format;
    }

    /** The console's charset ({@code CONSOLE_LOG_CHARSET}); default UTF-8. */
    public void setCharset(Charset charset) {
        this.charset = charset;
    }

    @Override
    public void start() {
        Encoder<ILoggingEvent> encoder;
        if (format != null && !format.isBlank()) {
            StructuredLogEncoder structured = new StructuredLogEncoder();
            structured.setFormat(format.strip());
            structured.setCharset(charset);
            encoder = structured;
        } else {
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern(pattern != null ? pattern : "%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n");
            text.setCharset(charset);
            encoder = text;
        }
        encoder.setContext(getContext());
        encoder.start();
        delegate = encoder;
        super.start();
    }

    @Override
    public void stop() {
        if (delegate != null) {
            delegate.stop();
        }
        super.stop();
    }

    @Override
    public byte[] headerBytes() {
        return delegate().headerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return delegate().encode(event);
    }

    @Override
    public byte[] footerBytes() {
        return delegate().footerBytes();
    }

    private Encoder<ILoggingEvent> delegate() {
        if (delegate == null) {
            throw new IllegalStateException("ConsoleLogEncoder used before start()");
        }
        return delegate;
    }
}
