package dev.calleval.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a DATE option: {@code yyyy-MM-dd} (the start of that day, UTC) or an ISO-8601 time with offset or Z. */
class DateConverter implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
        try {
            return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant() : OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("'" + value + "' is not a date (yyyy-MM-dd, UTC) nor a time like 2026-11-19T08:00:00Z");
        }
    }
}
