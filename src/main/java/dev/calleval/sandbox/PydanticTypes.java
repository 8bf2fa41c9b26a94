package dev.calleval.sandbox;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A small model of Pydantic v2's lax-mode validation, the way FastAPI reports it: field types ({@link Type}) that
 * normalise a JSON value or record their errors ({@link Errors}: {@code {"type", "loc", "msg", "input", "ctx"?}}
 * items in Pydantic's order), model fields with defaults and checks ({@link Field}), models ({@link ModelType}),
 * the scalar types (string, boolean, integer with bounds, enum, list with lengths, dict, HTTP URL, UUID, datetime;
 * string formats in {@link PydanticFormats} and {@link PydanticDatetimes}). The request validators
 * ({@link CallRequestValidator}, {@link SimulationRequestValidator}, {@link CallLogListing}) declare their models
 * with it. Stateless; thread-safe.
 */
final class PydanticTypes {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern INT_STRING = Pattern.compile("^([+-]?[0-9]+)(?:\\.0*)?$");
    private static final Set<String> TRUE_STRINGS = Set.of("1", "on", "t", "true", "y", "yes");
    private static final Set<String> FALSE_STRINGS = Set.of("0", "off", "f", "false", "n", "no");

    private PydanticTypes() {}

    /** Collects 422 {@code detail} items in the order Pydantic reports them. */
    static final class Errors {
        final List<ObjectNode> items = new ArrayList<>();

        void add(String type, List<Object> loc, String msg, JsonNode input, @Nullable ObjectNode ctx) {
            ObjectNode item = NODES.objectNode();
            item.put("type", type);
            ArrayNode locNode = item.putArray("loc");
            for (Object part : loc) {
                if (part instanceof Integer index) {
                    locNode.add(index);
                } else {
                    locNode.add(part.toString());
                }
            }
            item.put("msg", msg);
            item.set("input", input);
            if (ctx != null) {
                item.set("ctx", ctx);
            }
            items.add(item);
        }
    }

    /** Validates one value: returns the normalised value, or {@code null} after recording its errors. */
    @FunctionalInterface
    interface Type {
        @Nullable JsonNode validate(JsonNode value, List<Object> loc, Errors errors);
    }

    /** A check run on a field's value once its type validated, returning the problem or {@code null}. */
    @FunctionalInterface
    interface Check {
        @Nullable String problem(JsonNode value);
    }

    /** A model field: absent and not required means the default (JSON null unless given). */
    record Field(String name, Type type, boolean required, @Nullable JsonNode defaultValue, @Nullable Check check) {
        static Field required(String name, Type type) {
            return new Field(name, type, true, null, null);
        }

        static Field optional(String name, Type type) {
            return new Field(name, type, false, null, null);
        }

        static Field withDefault(String name, Type type, JsonNode defaultValue) {
            return new Field(name, type, false, defaultValue, null);
        }

        Field withCheck(Check check) {
            return new Field(name, type, required, defaultValue, check);
        }
    }

    /** A Pydantic model: fields validated in declaration order, all errors collected. */
    record ModelType(String className, List<Field> fields) implements Type {
        @Override
        public @Nullable JsonNode validate(JsonNode value, List<Object> loc, Errors errors) {
            if (!value.isObject()) {
                errors.add("model_type", loc, "Input should be a valid dictionary or instance of " + className, value,
                        ctx("class_name", className));
                return null;
            }
            ObjectNode out = NODES.objectNode();
            boolean ok = true;
            for (Field field : fields) {
                List<Object> fieldLoc = append(loc, field.name());
                JsonNode raw = value.get(field.name());
                if (raw == null) {
                    if (field.required()) {
                        errors.add("missing", fieldLoc, "Field required", value, null);
                        ok = false;
                    } else {
                        JsonNode fallback = field.defaultValue();
                        out.set(field.name(), fallback == null ? NODES.nullNode() : fallback.deepCopy());
                    }
                    continue;
                }
                JsonNode validated = field.type().validate(raw, fieldLoc, errors);
                if (validated == null) {
                    ok = false;
                    continue;
                }
                Check check = field.check();
                if (check != null && !validated.isNull()) {
                    String problem = check.problem(validated);
                    if (problem != null) {
                        errors.add("value_error", fieldLoc, "Value error, " + problem, raw, ctx("error", problem));
                        ok = false;
                        continue;
                    }
                }
                out.set(field.name(), validated);
            }
            return ok ? out : null;
        }
    }

    static final Type STR = (value, loc, errors) -> {
        if (value.isString()) {
            return value;
        }
        errors.add("string_type", loc, "Input should be a valid string", value, null);
        return null;
    };

    static final Type ANY = (value, loc, errors) -> value;

    static final Type DICT = (value, loc, errors) -> {
        if (value.isObject()) {
            return value;
        }
        errors.add("dict_type", loc, "Input should be a valid dictionary", value, null);
        return null;
    };

    static final Type BOOL = (value, loc, errors) -> {
        if (value.isBoolean()) {
            return value;
        }
        if (value.isNumber()) {
            BigDecimal number = value.decimalValue();
            if (number.compareTo(BigDecimal.ZERO) == 0) {
                return NODES.booleanNode(false);
            }
            if (number.compareTo(BigDecimal.ONE) == 0) {
                return NODES.booleanNode(true);
            }
            errors.add("bool_parsing", loc, "Input should be a valid boolean, unable to interpret input", value, null);
            return null;
        }
        if (value.isString()) {
            String lower = value.stringValue().toLowerCase(Locale.ROOT);
            if (TRUE_STRINGS.contains(lower)) {
                return NODES.booleanNode(true);
            }
            if (FALSE_STRINGS.contains(lower)) {
                return NODES.booleanNode(false);
            }
            errors.add("bool_parsing", loc, "Input should be a valid boolean, unable to interpret input", value, null);
            return null;
        }
        errors.add("bool_type", loc, "Input should be a valid boolean", value, null);
        return null;
    };

    static final Type HTTP_URL = (value, loc, errors) -> {
        if (!value.isString()) {
            errors.add("url_type", loc, "URL input should be a string or URL", value, null);
            return null;
        }
        PydanticFormats.Parsed<String> parsed = PydanticFormats.httpUrl(value.stringValue());
        PydanticFormats.Failure failure = parsed.failure();
        if (failure == null) {
            return value;
        }
        switch (failure.type()) {
            case "url_too_long" -> errors.add("url_too_long", loc,
                    "URL should have at most " + PydanticFormats.MAX_URL_LENGTH + " characters", value,
                    ctx("max_length", PydanticFormats.MAX_URL_LENGTH));
            case "url_scheme" -> errors.add("url_scheme", loc, "URL scheme should be " + failure.reason(), value,
                    ctx("expected_schemes", failure.reason()));
            default -> errors.add("url_parsing", loc, "Input should be a valid URL, " + failure.reason(), value,
                    ctx("error", failure.reason()));
        }
        return null;
    };

    static final Type UUID = (value, loc, errors) -> {
        if (!value.isString()) {
            errors.add("uuid_type", loc, "UUID input should be a string, bytes or UUID object", value, null);
            return null;
        }
        PydanticFormats.Parsed<String> parsed = PydanticFormats.uuid(value.stringValue());
        PydanticFormats.Failure failure = parsed.failure();
        if (failure != null) {
            errors.add("uuid_parsing", loc, "Input should be a valid UUID, " + failure.reason(), value,
                    ctx("error", failure.reason()));
            return null;
        }
        return NODES.stringNode(parsed.value());
    };

    /** A datetime, normalised to ISO-8601 UTC with {@code Z} (e.g. {@code 2026-08-01T14:03:22Z}). */
    static final Type DATETIME = (value, loc, errors) -> {
        PydanticFormats.Parsed<Instant> parsed;
        if (value.isString()) {
            parsed = PydanticDatetimes.datetime(value.stringValue());
        } else if (value.isNumber() && !value.isBoolean()) {
            if (value.isFloatingPointNumber() && !Double.isFinite(value.doubleValue())) {
                errors.add("finite_number", loc, "Input should be a finite number", value, null);
                return null;
            }
            parsed = PydanticDatetimes.timestamp(value.decimalValue());
        } else {
            errors.add("datetime_type", loc, "Input should be a valid datetime", value, null);
            return null;
        }
        PydanticFormats.Failure failure = parsed.failure();
        if (failure != null) {
            String msg = failure.type().equals("datetime_from_date_parsing")
                    ? "Input should be a valid datetime or date, " + failure.reason()
                    : "Input should be a valid datetime, " + failure.reason();
            errors.add(failure.type(), loc, msg, value, ctx("error", failure.reason()));
            return null;
        }
        return NODES.stringNode(String.valueOf(parsed.value()));
    };

    static Type nullable(Type inner) {
        return (value, loc, errors) -> value.isNull() ? value : inner.validate(value, loc, errors);
    }

    static Type enumOf(String... values) {
        List<String> allowed = List.of(values);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                expected.append(i == values.length - 1 ? " or " : ", ");
            }
            expected.append('\'').append(values[i]).append('\'');
        }
        String expectedText = expected.toString();
        return (value, loc, errors) -> {
            if (value.isString() && allowed.contains(value.stringValue())) {
                return value;
            }
            errors.add("enum", loc, "Input should be " + expectedText, value, ctx("expected", expectedText));
            return null;
        };
    }

    /** An integer, optionally {@code >= ge}; normalised to a JSON integer. */
    static Type integer(@Nullable Long ge) {
        return integer(ge, null, null);
    }

    /**
     * An integer with optional bounds, checked in Pydantic's order {@code gt}, {@code ge}, {@code le}
     * [{@code greater_than}, {@code greater_than_equal}, {@code less_than_equal}]; normalised to a JSON integer.
     */
    static Type integer(@Nullable Long ge, @Nullable Long gt, @Nullable Long le) {
        return (value, loc, errors) -> {
            BigInteger number;
            if (value.isIntegralNumber()) {
                number = value.bigIntegerValue();
            } else if (value.isFloatingPointNumber()) {
                if (!Double.isFinite(value.doubleValue())) {
                    errors.add("finite_number", loc, "Input should be a finite number", value, null);
                    return null;
                }
                BigDecimal decimal = value.decimalValue();
                if (decimal.signum() != 0 && decimal.stripTrailingZeros().scale() > 0) {
                    errors.add("int_from_float", loc,
                            "Input should be a valid integer, got a number with a fractional part", value, null);
                    return null;
                }
                number = decimal.toBigInteger();
            } else if (value.isBoolean()) {
                number = value.booleanValue() ? BigInteger.ONE : BigInteger.ZERO;
            } else if (value.isString()) {
                Matcher matcher = INT_STRING.matcher(value.stringValue().strip());
                if (!matcher.matches()) {
                    errors.add("int_parsing", loc,
                            "Input should be a valid integer, unable to parse string as an integer", value, null);
                    return null;
                }
                number = new BigInteger(matcher.group(1));
            } else {
                errors.add("int_type", loc, "Input should be a valid integer", value, null);
                return null;
            }
            if (gt != null && number.compareTo(BigInteger.valueOf(gt)) <= 0) {
                errors.add("greater_than", loc, "Input should be greater than " + gt, value, ctx("gt", gt));
                return null;
            }
            if (ge != null && number.compareTo(BigInteger.valueOf(ge)) < 0) {
                errors.add("greater_than_equal", loc, "Input should be greater than or equal to " + ge, value,
                        ctx("ge", ge));
                return null;
            }
            if (le != null && number.compareTo(BigInteger.valueOf(le)) > 0) {
                errors.add("less_than_equal", loc, "Input should be less than or equal to " + le, value,
                        ctx("le", le));
                return null;
            }
            return number.bitLength() < 64 ? NODES.numberNode(number.longValue()) : NODES.numberNode(number);
        };
    }

    /**
     * A list with optional length bounds ({@code max < 0}: none). As in pydantic-core, at most {@code max + 1}
     * items are validated before {@code too_long} is reported, and {@code too_short} is checked only when every
     * item validated.
     */
    static Type list(Type item, int min, int max) {
        return (value, loc, errors) -> {
            if (!value.isArray()) {
                errors.add("list_type", loc, "Input should be a valid list", value, null);
                return null;
            }
            int size = value.size();
            boolean tooLong = max >= 0 && size > max;
            int limit = tooLong ? max + 1 : size;
            ArrayNode out = NODES.arrayNode();
            boolean ok = true;
            for (int i = 0; i < limit; i++) {
                JsonNode validated = item.validate(value.get(i), append(loc, i), errors);
                if (validated == null) {
                    ok = false;
                } else {
                    out.add(validated);
                }
            }
            if (tooLong) {
                ObjectNode ctx = ctx("field_type", "List");
                ctx.put("max_length", max);
                ctx.put("actual_length", size);
                errors.add("too_long", loc, "List should have at most " + max + " item" + (max == 1 ? "" : "s")
                        + " after validation, not " + size, value, ctx);
                return null;
            }
            if (!ok) {
                return null;
            }
            if (size < min) {
                ObjectNode ctx = ctx("field_type", "List");
                ctx.put("min_length", min);
                ctx.put("actual_length", size);
                errors.add("too_short", loc, "List should have at least " + min + " item" + (min == 1 ? "" : "s")
                        + " after validation, not " + size, value, ctx);
                return null;
            }
            return out;
        };
    }

    static List<Object> append(List<Object> loc, Object part) {
        List<Object> longer = new ArrayList<>(loc.size() + 1);
        longer.addAll(loc);
        longer.add(part);
        return List.copyOf(longer);
    }

    static ObjectNode ctx(String key, Object value) {
        ObjectNode ctx = NODES.objectNode();
        if (value instanceof Long number) {
            ctx.put(key, number);
        } else if (value instanceof Integer number) {
            ctx.put(key, number);
        } else {
            ctx.put(key, String.valueOf(value));
        }
        return ctx;
    }
}
