package dev.calleval.bluejay;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link BluejayTransport#onWire}: the permit's wire hook runs once, when the HTTP client takes the request's body (its
 * headers are on their way by then), against a real server on loopback; at once for a request without a body.
 */
class WireHookTests {
    private HttpServer server;
    private final AtomicLong arrived = new AtomicLong();
    private final AtomicLong bodyBytes = new AtomicLong();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            arrived.set(System.nanoTime());
            bodyBytes.set(exchange.getRequestBody().readAllBytes().length);
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/evaluate");
    }

    @Test
    void runsOnceWhenTheBodyIsTakenAndSendsTheBodyUnchanged() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        AtomicLong ranAt = new AtomicLong();
        Runnable hook = () -> {
            runs.incrementAndGet();
            ranAt.set(System.nanoTime());
        };
        byte[] body = "{\"agent_id\":\"a-1\"}".getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(uri()).header("X-API-Key", "k").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();

        HttpRequest hooked = BluejayTransport.onWire(request, hook, RequestBudget.NOTHING);
        assertThat(runs).as("not before the request is sent").hasValue(0);
        long sent = System.nanoTime();
        HttpResponse<Void> response = HttpClient.newHttpClient().send(hooked, HttpResponse.BodyHandlers.discarding());

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(runs).as("once").hasValue(1);
        assertThat(ranAt.get()).as("while the request was being sent").isBetween(sent, System.nanoTime());
        assertThat(bodyBytes).as("the body arrives whole").hasValue(body.length);
        assertThat(hooked.headers().firstValue("X-API-Key")).contains("k");
        assertThat(hooked.method()).isEqualTo("POST");
    }

    @Test
    void runsAtOnceForARequestWithoutABodyAndNeverTellsItsBodyTaken() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        AtomicInteger bodyTaken = new AtomicInteger();
        HttpRequest request = HttpRequest.newBuilder(uri()).GET().build();

        HttpRequest hooked = BluejayTransport.onWire(request, runs::incrementAndGet, bodyTaken::incrementAndGet);
        HttpClient.newHttpClient().send(hooked, HttpResponse.BodyHandlers.discarding());

        assertThat(runs).hasValue(1);
        assertThat(bodyTaken).as("a GET has no body to take").hasValue(0);
        assertThat(hooked).isSameAs(request);
    }

    @Test
    void tellsItsBodyTakenOnceAfterTheHook() throws Exception {
        List<String> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpRequest request = HttpRequest.newBuilder(uri()).POST(HttpRequest.BodyPublishers.ofString("{}")).build();

        HttpRequest hooked = BluejayTransport.onWire(request, () -> ran.add("hook"), () -> ran.add("body taken"));
        assertThat(ran).as("not before the request is sent").isEmpty();
        HttpClient.newHttpClient().send(hooked, HttpResponse.BodyHandlers.discarding());

        assertThat(ran).containsExactly("hook", "body taken");
    }

    @Test
    void leavesTheRequestAloneWithoutAPermit() {
        HttpRequest request = HttpRequest.newBuilder(uri()).POST(HttpRequest.BodyPublishers.ofString("{}")).build();

        assertThat(BluejayTransport.onWire(request, RequestBudget.NOTHING, RequestBudget.NOTHING)).isSameAs(request);
    }
}
