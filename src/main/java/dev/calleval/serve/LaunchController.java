package dev.calleval.serve;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The launch API of {@code serve} (bearer token: {@link ApiToken}); JSON in and out, snake_case keys.
 * <ul>
 *   <li>{@code POST /api/jobs/{name}/executions}, body optional, a JSON object of string job parameters
 *       ({@code source}: the manifest or log folder to read instead of the job file's; {@code date}: {@code yyyy-MM-dd},
 *       the day an {@code s3-prefix} source reads, yesterday in its {@code source.zone} when not given) → 202 with
 *       {@code execution_id} and a {@code Location} header to the execution; 404 no such job; 400 bad parameters;
 *       409 an execution of the job over the same source has not ended ({@code running_execution_id}); 503 too many
 *       executions running or waiting, or serve is stopping.</li>
 *   <li>{@code GET /api/executions/{id}} → status, rows read and counts as in {@code summary.json}; 404.</li>
 *   <li>{@code GET /api/jobs} → the jobs with the parameters a launch may give (and what it uses without them), their
 *       schedule (next fire time), last execution and running ones.</li>
 * </ul>
 * Errors answer {@code {"error": "..."}}.
 */
@RestController
@Profile("serve")
class LaunchController {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(LaunchController.class);

    private final JobLaunches launches;
    private final ExecutionViews views;

    LaunchController(JobLaunches launches, ExecutionViews views) {
        this.launches = launches;
        this.views = views;
    }

    @PostMapping(path = "/api/jobs/{name}/executions", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> launch(@PathVariable String name, @RequestBody(required = false) byte @Nullable [] body) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (body != null && body.length > 0) {
            JsonNode json;
            try {
                json = ApiJson.mapper().readTree(body);
            } catch (JacksonException e) {
                return error(HttpStatus.BAD_REQUEST, "the body is not JSON: " + e.getOriginalMessage());
            }
            if (json == null || !json.isObject()) {
                return error(HttpStatus.BAD_REQUEST, "the body must be a JSON object of job parameters, e.g. {\"source\": \"/data/calls.csv\"}");
            }
            for (Map.Entry<String, JsonNode> field : json.properties()) {
                if (!field.getValue().isString()) {
                    return error(HttpStatus.BAD_REQUEST, "job parameter '" + field.getKey() + "' must be a string");
                }
                parameters.put(field.getKey(), field.getValue().asString());
            }
        }
        JobLaunches.Launched launched;
        try {
            launched = launches.launch(name, parameters, "api");
        } catch (LaunchException e) {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("error", e.getMessage());
            if (e.runningExecutionId() != null) {
                answer.put("running_execution_id", e.runningExecutionId());
            }
            return json(HttpStatus.valueOf(e.reason().httpStatus()), answer);
        }
        URI location = ServletUriComponentsBuilder.fromCurrentContextPath().path("/api/executions/{id}").buildAndExpand(launched.executionId()).toUri();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("execution_id", launched.executionId());
        answer.put("job", launched.jobName());
        answer.put("source", launched.source());
        answer.put("restarted", launched.restarted());
        answer.put("status_url", location.toString());
        return ResponseEntity.accepted().location(location).contentType(MediaType.APPLICATION_JSON).body(ApiJson.write(answer));
    }

    @GetMapping(path = "/api/executions/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> execution(@PathVariable String id) {
        long executionId;
        try {
            executionId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            return error(HttpStatus.BAD_REQUEST, "an execution id is a number, got '" + id + "'");
        }
        return views.execution(executionId).map(v -> json(HttpStatus.OK, v))
                .orElseGet(() -> error(HttpStatus.NOT_FOUND, "no job execution " + executionId));
    }

    @GetMapping(path = "/api/jobs", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> jobs() {
        return json(HttpStatus.OK, views.jobs());
    }

    /** A failure that is not the caller's: logged with its stack trace, answered 500 with its message. */
    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<String> failure(RuntimeException e) {
        log.error("launch API: {}", e.getMessage(), e);
        return error(HttpStatus.INTERNAL_SERVER_ERROR, String.valueOf(e.getMessage()));
    }

    private static ResponseEntity<String> error(HttpStatus status, String message) {
        return json(status, Map.of("error", message));
    }

    private static ResponseEntity<String> json(HttpStatus status, Object body) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(ApiJson.write(body));
    }
}
