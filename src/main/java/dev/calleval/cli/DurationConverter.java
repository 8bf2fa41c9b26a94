package dev.calleval.cli;

import java.time.Duration;
import org.springframework.boot.convert.DurationStyle;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Durations on the command line: {@code 90s}, {@code 2m}, {@code 1h}, or ISO-8601 {@code PT2M}. */
class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return DurationStyle.detectAndParse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + value + "' is not a duration; write e.g. 90s, 2m, 1h");
        }
    }

    /** A duration as an operator writes it: {@code 2m}, {@code 90s}, {@code 1500ms}. */
    static String format(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        return DurationStyle.SIMPLE.print(duration, duration.toMillis() % 1000 != 0 ? java.time.temporal.ChronoUnit.MILLIS
                : duration.getSeconds() % 60 != 0 ? java.time.temporal.ChronoUnit.SECONDS
                : duration.getSeconds() % 3600 != 0 ? java.time.temporal.ChronoUnit.MINUTES : java.time.temporal.ChronoUnit.HOURS);
    }
}
