package dev.calleval.contract;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bluejay's OpenAPI 3.1 document (bluejay-api.md §0) as a JSON Schema validator for contract tests.
 *
 * <p>The document is found through the system property {@value #PROPERTY} (set by the pom's surefire
 * configuration to {@code ${project.basedir}/../shared/bluejay-openapi.json}), falling back to
 * {@value #DEFAULT_LOCATION} relative to the working directory. When the file is absent, {@link #load()} is empty
 * and {@link #require()} aborts the calling test, so contract tests are reported as skipped, not failed.
 *
 * <p>Validation is done by networknt json-schema-validator with the OpenAPI 3.1 base dialect (JSON Schema draft
 * 2020-12) and <em>format assertions switched on</em>, so {@code uri}, {@code uuid} and {@code date-time} are
 * checked rather than treated as annotations. Every schema is addressed inside the whole document (its
 * {@code file:} IRI plus a JSON pointer), so {@code #/components/schemas/...} references, including those
 * inside the webhook schemas' nested {@code $defs}, resolve against the spec itself.
 *
 * <p>Quirks handled here (bluejay-api.md "Validating against the spec"): the events webhook body is a
 * {@code oneOf} with a {@code discriminator}, which plain JSON Schema cannot select by; {@link #webhookSchemaFor}
 * picks the one schema from the discriminator mapping instead. Thread-safe once loaded.
 */
final class OpenApiContract {

    /** System property naming the OpenAPI document. */
    static final String PROPERTY = "calleval.openapi";

    /** Where the document is looked for when the property is not set: beside the project root. */
    static final String DEFAULT_LOCATION = "../shared/bluejay-openapi.json";

    private static final String EVENTS_WEBHOOK = "events_webhook";
    private static final String COMPONENT_PREFIX = "#/components/schemas/";
    private static final Map<Path, Optional<OpenApiContract>> LOADED = new ConcurrentHashMap<>();

    private final Path file;
    private final JsonNode spec;
    private final String documentIri;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private OpenApiContract(Path file, String text) {
        this.file = file;
        this.spec = JsonMapper.builder().build().readTree(text);
        this.documentIri = file.toUri().toString();
        SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                .formatAssertionsEnabled(true)
                .locale(Locale.ROOT)
                .build();
        this.registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(), builder -> builder
                .schemaRegistryConfig(config)
                .schemas(Map.of(documentIri, text)));
    }

    /** The configured location of the document, absolute: the {@value #PROPERTY} property or the default. */
    static Path location() {
        String configured = System.getProperty(PROPERTY);
        String path = configured == null || configured.isBlank() ? DEFAULT_LOCATION : configured;
        return Path.of(path).toAbsolutePath().normalize();
    }

    /**
     * The document at {@link #location()}, or empty when there is no such file. Read once per location and
     * shared, so every test can call this (or {@link #require()}) without parsing the spec again.
     */
    static Optional<OpenApiContract> load() {
        return LOADED.computeIfAbsent(location(), OpenApiContract::load);
    }

    /**
     * The document at {@code file}, or empty when there is no such file.
     *
     * @throws UncheckedIOException if the file exists but cannot be read
     */
    static Optional<OpenApiContract> load(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new OpenApiContract(file, Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the OpenAPI document " + file, e);
        }
    }

    /**
     * The document at {@link #location()}; when it is absent, aborts the calling test with
     * "{@code <path> not found: contract tests skipped}". Call it in each test rather than in {@code @BeforeAll}:
     * surefire reports a class aborted in {@code @BeforeAll} as "Tests run: 0", without the reason.
     */
    static OpenApiContract require() {
        Optional<OpenApiContract> contract = load();
        Assumptions.assumeTrue(contract.isPresent(), () -> location() + " not found: contract tests skipped");
        return contract.orElseThrow();
    }

    /** The file the document was read from. */
    Path file() {
        return file;
    }

    /**
     * The component schema {@code #/components/schemas/<name>}.
     *
     * @throws IllegalArgumentException if the document has no such schema
     */
    SchemaRef component(String name) {
        if (spec.path("components").path("schemas").path(name).isMissingNode()) {
            throw new IllegalArgumentException("no schema '" + name + "' in components.schemas of " + file);
        }
        return new SchemaRef(name, "/components/schemas/" + escape(name));
    }

    /**
     * The {@code application/json} request body schema of an operation, e.g. {@code ("POST", "/v1/evaluate")}:
     * the component it references, or the inline schema (for {@code /v1/evaluate} the {@code anyOf} of
     * {@code CallRequestUsingAgentId} and {@code CallRequestUsingExternalAgentId}).
     *
     * @throws IllegalArgumentException if the path, the method or its JSON request body is not in the document
     */
    SchemaRef requestSchemaOf(String method, String path) {
        String pointer = operationPointer(method, path) + "/requestBody/content/application~1json/schema";
        return schemaAt(pointer, method.toUpperCase(Locale.ROOT) + " " + path + " request body");
    }

    /**
     * The {@code application/json} response schema of an operation for an HTTP status, e.g.
     * {@code ("GET", "/v1/retrieve-call-log/{call_id}", 200)}.
     *
     * @throws IllegalArgumentException if the operation or that response is not in the document
     */
    SchemaRef responseSchemaOf(String method, String path, int status) {
        String pointer = operationPointer(method, path) + "/responses/" + status + "/content/application~1json/schema";
        return schemaAt(pointer, method.toUpperCase(Locale.ROOT) + " " + path + " response " + status);
    }

    /**
     * The schema of one events-webhook body type, taken from the discriminator mapping of
     * {@code webhooks.events_webhook} (e.g. {@code observability_call_evaluated} →
     * {@code WebhookObservabilityCallEvaluated}).
     *
     * @throws IllegalArgumentException if the mapping has no such type
     */
    SchemaRef webhookSchemaFor(String type) {
        JsonNode mapping = spec.path("webhooks").path(EVENTS_WEBHOOK).path("post").path("requestBody")
                .path("content").path("application/json").path("schema").path("discriminator").path("mapping");
        JsonNode target = mapping.path(type);
        if (!target.isString() || !target.asString().startsWith(COMPONENT_PREFIX)) {
            throw new IllegalArgumentException("no webhook type '" + type + "' in the discriminator mapping of "
                    + EVENTS_WEBHOOK + "; known: " + mapping.propertyNames());
        }
        return component(target.asString().substring(COMPONENT_PREFIX.length()));
    }

    /** Validates {@code json} against the component schema {@code name}; see {@link #validate(SchemaRef, JsonNode)}. */
    List<String> validate(String schemaName, JsonNode json) {
        return validate(component(schemaName), json);
    }

    /** Parses {@code json} and validates it against {@code schema}; see {@link #validate(SchemaRef, JsonNode)}. */
    List<String> validate(SchemaRef schema, String json) {
        return validate(schema, JsonMapper.builder().build().readTree(json));
    }

    /**
     * Validates {@code json} against {@code schema}.
     *
     * @return one line per violation, {@code <instance pointer>: <message> [<keyword> at <schema location>]},
     *     e.g. {@code /participants: must have at least 2 items but found 1 [minItems at ...]}; empty when valid
     */
    List<String> validate(SchemaRef schema, JsonNode json) {
        Schema compiled = schemas.computeIfAbsent(schema.pointer(),
                pointer -> registry.getSchema(SchemaLocation.of(documentIri + "#" + pointer)));
        return compiled.validate(json).stream().map(OpenApiContract::describe).toList();
    }

    private String operationPointer(String method, String path) {
        JsonNode item = spec.path("paths").path(path);
        if (item.isMissingNode()) {
            throw new IllegalArgumentException("no path '" + path + "' in " + file);
        }
        String verb = method.toLowerCase(Locale.ROOT);
        if (item.path(verb).isMissingNode()) {
            throw new IllegalArgumentException("no " + method + " operation on '" + path + "' in " + file);
        }
        return "/paths/" + escape(path) + "/" + verb;
    }

    private SchemaRef schemaAt(String pointer, String label) {
        JsonNode schema = spec.at(pointer);
        if (schema.isMissingNode()) {
            throw new IllegalArgumentException("no JSON schema for " + label + " (" + pointer + ") in " + file);
        }
        JsonNode ref = schema.path("$ref");
        if (schema.size() == 1 && ref.isString() && ref.asString().startsWith(COMPONENT_PREFIX)) {
            return component(ref.asString().substring(COMPONENT_PREFIX.length()));
        }
        return new SchemaRef(label, pointer);
    }

    private static String describe(Error error) {
        String at = error.getInstanceLocation().toString();
        return (at.isEmpty() ? "/" : at) + ": " + error.getMessage()
                + " [" + error.getKeyword() + " at " + error.getSchemaLocation().getFragment() + "]";
    }

    /** Escapes one JSON pointer token (RFC 6901). */
    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    /**
     * A schema inside the OpenAPI document.
     *
     * @param name the component name, or a description of an inline schema such as
     *     {@code POST /v1/evaluate request body}
     * @param pointer JSON pointer from the document root, e.g. {@code /components/schemas/CallLog}
     */
    record SchemaRef(String name, String pointer) {
        @Override
        public String toString() {
            return name;
        }
    }
}
