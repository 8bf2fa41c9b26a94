package dev.calleval.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.calleval.sandbox.SandboxConfig;
import dev.calleval.sandbox.SandboxServer;
import dev.calleval.serve.ServeUnderTest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks are signed by default: {@code serve} against the real API (any base URL but {@code --sandbox}) does not
 * start without a signing secret unless the operator opts in to unsigned webhooks; during a rotation both secrets are
 * accepted. The refusal and the opt-in are checked on calleval started as a process, as an operator starts it.
 */
class WebhookSigningFunctionalTests {
    private static final String API_KEY = "signing-tests-key";
    private static final byte[] EVENT = event("call-1");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path work;

    @BeforeEach
    void jobsFolder() throws IOException {
        Files.createDirectories(work.resolve("jobs"));
    }

    @Test
    void serveAgainstTheRealApiWithoutASecretRefusesToStartInOneLine() throws Exception {
        Process serve = start(Map.of(), false);
        assertThat(serve.waitFor(3, TimeUnit.MINUTES)).as("serve exits").isTrue();
        String err = new String(serve.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(serve.exitValue()).isEqualTo(2);
        assertThat(err.strip().lines().toList()).as(err).hasSize(1).first().asString()
                .startsWith("calleval: no webhook signing secret")
                .contains("BLUEJAY_WEBHOOK_SECRET ", "BLUEJAY_WEBHOOK_SECRET_FILE", "CALLEVAL_WEBHOOK_ALLOW_UNSIGNED=true");
    }

    @Test
    void optedInServeTakesUnsignedWebhooksAndWarnsAtStart() throws Exception {
        Process serve = start(Map.of("CALLEVAL_WEBHOOK_ALLOW_UNSIGNED", "true"), true);
        try {
            StringBuffer output = new StringBuffer();
            int port = listeningPort(serve, output);

            assertThat(post(port, EVENT, null).statusCode()).as("unsigned, opted in").isEqualTo(200);
            serve.destroy(); // SIGTERM
            assertThat(serve.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(output.toString()).contains("WARN", "webhooks: taken UNSIGNED (calleval.webhook.allow-unsigned=true");
        } finally {
            serve.destroyForcibly();
        }
    }

    @Test
    void duringARotationWebhooksSignedWithEitherSecretAreTakenAndOthersRefused() throws Exception {
        Path previousFile = Files.writeString(work.resolve("previous-secret"), "whsec-old-4c1d\n");
        try (SandboxServer sandbox = SandboxServer.start(SandboxConfig.defaults().withApiKey(API_KEY).withoutWebhook());
                ServeUnderTest serve = ServeUnderTest.start(Map.of("CALLEVAL_DB_URL", "jdbc:h2:mem:signing-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                        "calleval.jobs-dir", work.resolve("jobs").toString(), "BLUEJAY_BASE_URL", sandbox.baseUri().toString(),
                        "BLUEJAY_API_KEY", API_KEY, "BLUEJAY_WEBHOOK_SECRET", "whsec-new-9e2b",
                        "BLUEJAY_WEBHOOK_SECRET_PREVIOUS_FILE", previousFile.toString()), "serve")) {
            byte[] other = event("call-2");
            byte[] third = event("call-3");

            HttpResponse<String> current = post(serve.port(), EVENT, new SignatureVerifier("whsec-new-9e2b").sign(EVENT));
            HttpResponse<String> previous = post(serve.port(), other, "sha256=" + new SignatureVerifier("whsec-old-4c1d").sign(other));
            HttpResponse<String> neither = post(serve.port(), third, new SignatureVerifier("whsec-someone-else").sign(third));
            HttpResponse<String> unsigned = post(serve.port(), third, null);

            assertThat(current.statusCode()).as(current.body()).isEqualTo(200);
            assertThat(previous.statusCode()).as("the previous secret, read from its file without the newline: " + previous.body()).isEqualTo(200);
            assertThat(neither.statusCode()).isEqualTo(401);
            assertThat(unsigned.statusCode()).isEqualTo(401);
        }
    }

    /**
     * calleval serve as a process against a "real" API (a closed loopback port: serve calls it only for jobs).
     *
     * @param mergedOutput stderr into stdout (read with {@link #listeningPort}); else stdout is discarded and stderr kept
     */
    private Process start(Map<String, String> environment, boolean mergedOutput) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "dev.calleval.CallevalApplication", "serve"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile());
        if (mergedOutput) {
            builder.redirectErrorStream(true);
        } else {
            builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("BLUEJAY_") || k.startsWith("CALLEVAL_"));
        env.putAll(new HashMap<>(Map.of("CALLEVAL_DB_URL", "jdbc:h2:file:" + work.resolve("data").resolve("calleval"),
                "BLUEJAY_BASE_URL", "http://127.0.0.1:1", "BLUEJAY_API_KEY", API_KEY, "SERVER_PORT", "0")));
        env.putAll(environment);
        return builder.start();
    }

    /**
     * Reads serve's output (stdout and stderr) into {@code output} until it ends, and returns the port once serve says
     * which one it listens on.
     */
    private static int listeningPort(Process serve, StringBuffer output) throws Exception {
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            Pattern listening = Pattern.compile("serve: listening on port (\\d+)");
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    output.append(line).append('\n');
                    Matcher m = listening.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new AssertionError("serve ended without listening; its output:\n" + output));
        }, "serve-output");
        reader.setDaemon(true);
        reader.start();
        return port.get(3, TimeUnit.MINUTES);
    }

    private HttpResponse<String> post(int port, byte[] body, String signature) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/bluejay"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header("X-Bluejay-Signature", signature);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] event(String callId) {
        return """
                {"type":"observability_call_evaluated","id":"%s","status":"completed","evaluations":[]}"""
                .formatted(callId).getBytes(StandardCharsets.UTF_8);
    }

}
