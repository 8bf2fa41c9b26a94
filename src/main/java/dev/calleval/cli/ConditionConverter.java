package dev.calleval.cli;

import dev.calleval.reevaluate.Condition;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code --where FIELD=VALUE}; an unknown field or a value that does not fit is a usage error naming it (exit 2). */
class ConditionConverter implements ITypeConverter<Condition> {
    @Override
    public Condition convert(String value) {
        try {
            return Condition.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
