package dev.calleval.bluejay;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One HTTP attempt of {@link BluejayClient} and what its answer means: a 2xx is read as the documented JSON, every
 * other outcome becomes the {@link BluejayApiException} whose type says whether a retry can help (connection
 * failures, timeouts, 408/429/5xx: {@link TransientApiException}, marked when the request may have arrived;
 * 401/403, 422, other 4xx, unreadable 2xx), with a message in words (no exception class names, no API key).
 * Counts attempts and 429 answers; reports each attempt to the {@link RequestListener}. Thread-safe.
 */
final class BluejayTransport {

    private final BluejayClientSettings settings;
    private final HttpClient http;
    private final JsonMapper json;
    private final RequestListener listener;
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong tooManyRequests = new AtomicLong();

    BluejayTransport(BluejayClientSettings settings, JsonMapper json, RequestListener listener) {
        this.settings = settings;
        this.json = json;
        this.listener = listener;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .build();
    }

    /** HTTP attempts sent so far. */
    long attempts() {
        return attempts.get();
    }

    /** 429 answers so far. */
    long tooManyRequests() {
        return tooManyRequests.get();
    }

    /**
     * The request with {@code hook} run when it reaches the network: when the HTTP client takes its body (the headers
     * are written by then), or at once for a request without a body; and {@code bodyTaken} run right after
     * {@code hook} only when the HTTP client takes a body: never for a request without one, whose hook runs before it
     * is sent. The request itself when both are {@link RequestBudget#NOTHING}.
     */
    static HttpRequest onWire(HttpRequest request, Runnable hook, Runnable bodyTaken) {
        if (hook == RequestBudget.NOTHING && bodyTaken == RequestBudget.NOTHING) {
            return request;
        }
        HttpRequest.BodyPublisher body = request.bodyPublisher().orElse(null);
        if (body == null || body.contentLength() == 0) {
            hook.run();
            return request;
        }
        AtomicBoolean ran = new AtomicBoolean();
        HttpRequest.BodyPublisher hooked = new HttpRequest.BodyPublisher() {
            @Override
            public long contentLength() {
                return body.contentLength();
            }

            @Override
            public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
                if (ran.compareAndSet(false, true)) {
                    hook.run();
                    bodyTaken.run();
                }
                body.subscribe(subscriber);
            }
        };
        return HttpRequest.newBuilder(request, (name, value) -> true).method(request.method(), hooked).build();
    }

    /** Sends one attempt and reads its answer as {@code type}; throws the exception its outcome means. */
    <T> T send(String operation, HttpRequest request, Class<T> type) {
        attempts.incrementAndGet();
        HttpResponse<byte[]> response;
        int answered = 0;
        long sent = System.nanoTime();
        try {
            response = http.send(onWire(request, BluejayResilience.wireHook(), BluejayResilience.bodyTaken()), HttpResponse.BodyHandlers.ofByteArray());
            answered = response.statusCode();
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new TransientApiException(operation, 0, "cannot connect to " + settings.baseUrl() + " (" + connectFailure(e) + ")", null, false, e);
        } catch (HttpTimeoutException e) {
            throw new TransientApiException(operation, 0, "no response within " + settings.requestTimeout().toMillis() + " ms", null, true, e);
        } catch (javax.net.ssl.SSLException e) {
            // the TLS handshake failed (certificate not trusted, wrong protocol): nothing was sent
            throw new TransientApiException(operation, 0, "TLS with " + settings.baseUrl() + " failed (" + firstLine(e) + "); check BLUEJAY_BASE_URL "
                    + "and the certificate", null, false, e);
        } catch (IOException e) {
            throw new TransientApiException(operation, 0, "connection to " + settings.baseUrl() + " failed (" + firstLine(e) + ")", null, true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientApiException(operation, 0, "interrupted", null, true, e);
        } finally {
            listener.responded(operation, answered, System.nanoTime() - sent);
        }
        int status = response.statusCode();
        byte[] body = response.body();
        if (status >= 200 && status < 300) {
            try {
                return json.readValue(body, type);
            } catch (JacksonException e) {
                throw new PermanentApiException(operation, status, "response is not the documented JSON: " + e.getOriginalMessage());
            }
        }
        if (status == 401 || status == 403) {
            throw new AuthenticationFailedException(operation, status);
        }
        if (status == 422) {
            throw new ValidationFailedException(operation, parseFieldErrors(body));
        }
        if (status == 408 || status == 429 || status >= 500) {
            if (status == 429) {
                tooManyRequests.incrementAndGet();
            }
            boolean mayHaveArrived = status == 500 || status == 502 || status == 504;
            throw new TransientApiException(operation, status, detail(body), retryAfter(response), mayHaveArrived, null);
        }
        throw new PermanentApiException(operation, status, detail(body));
    }

    /** Why a connection could not be made, in words (no exception class names). */
    private static String connectFailure(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.nio.channels.UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                return "the host name does not resolve";
            }
        }
        if (e instanceof HttpConnectTimeoutException) {
            return "connection timed out";
        }
        String message = firstLine(e);
        return message.isEmpty() || message.equals(e.getClass().getName()) ? "connection refused" : message;
    }

    /** The first line of the innermost message of {@code e}, or a word for its kind. */
    private static String firstLine(Throwable e) {
        String message = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        if (message == null) {
            return e instanceof java.io.EOFException ? "the connection was closed" : "connection refused";
        }
        return message.lines().findFirst().orElse("").strip();
    }

    private List<ApiFieldError> parseFieldErrors(byte[] body) {
        List<ApiFieldError> errors = new ArrayList<>();
        try {
            JsonNode detail = json.readTree(body).path("detail");
            if (detail.isArray()) {
                for (JsonNode item : detail) {
                    List<Object> loc = new ArrayList<>();
                    item.path("loc").forEach(part -> loc.add(part.isNumber() ? (Object) part.asInt() : part.asString()));
                    errors.add(new ApiFieldError(loc, item.path("msg").asString(""), item.path("type").asString("")));
                }
            } else if (detail.isString()) {
                errors.add(new ApiFieldError(List.of(), detail.asString(), ""));
            }
        } catch (JacksonException e) {
            errors.add(new ApiFieldError(List.of(), "422 with a body that is not JSON: " + abbreviate(new String(body, StandardCharsets.UTF_8)), ""));
        }
        return errors;
    }

    private String detail(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        try {
            JsonNode detail = json.readTree(body).path("detail");
            if (!detail.isMissingNode()) {
                return abbreviate(detail.isString() ? detail.asString() : detail.toString());
            }
        } catch (JacksonException ignored) {
            // not JSON: show the text
        }
        return text.isBlank() ? "(empty body)" : abbreviate(text);
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }

    /** {@code Retry-After} as delay-seconds or an HTTP-date; null when absent or unreadable. */
    static @Nullable Duration retryAfter(HttpResponse<?> response) {
        String value = response.headers().firstValue("Retry-After").orElse(null);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (RuntimeException unreadable) {
                return null;
            }
        }
    }
}
