import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook load generator for B4: N sender threads POST signed {@code observability_call_evaluated} events to a
 * calleval webhook receiver as fast as it answers, every event distinct (own call id, evaluation id and source id,
 * so none is a duplicate), and report events/s stored, latency percentiles and errors.
 *
 * <pre>
 * java bench/WebhookLoad.java --url http://127.0.0.1:8080/webhooks/bluejay --secret-env BENCH_WEBHOOK_SECRET \
 *      --threads 8 --events 20000 [--warmup 500] [--template bench/webhook-call-evaluated.template.json] [--prefix run1] \
 *      [--stop-on-error true]
 * </pre>
 *
 * The body is the template with {@code {{call_id}}}, {@code {{evaluation_id}}} and {@code {{source_id}}} filled in;
 * {@code X-Bluejay-Signature} is the hex HMAC-SHA256 of the raw body with the secret in the named environment
 * variable (unsigned when it is unset). With {@code --stop-on-error true} a sender stops at its first connection error
 * (the receiver was killed), so that the events acknowledged before a crash can be counted. Each thread has its own HTTP/1.1 client (its own keep-alive connection), as
 * independent senders would. Latency is from just before {@code send} to the complete answer. An event counts as
 * stored when the receiver answered 200 {@code {"status":"stored"}}, i.e. after it committed the row.
 *
 * <p>Prints a human summary on stderr and one JSON object on stdout (keys: threads, events, stored, duplicates,
 * errors, error_kinds, seconds, events_per_s, p50_ms, p90_ms, p99_ms, max_ms). Exit code 0 when every event was
 * stored, 1 otherwise.
 */
public final class WebhookLoad {

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        URI url = URI.create(required(opts, "url"));
        int threads = Integer.parseInt(opts.getOrDefault("threads", "8"));
        int events = Integer.parseInt(opts.getOrDefault("events", "20000"));
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "0"));
        boolean stopOnError = Boolean.parseBoolean(opts.getOrDefault("stop-on-error", "false"));
        String prefix = opts.getOrDefault("prefix", "load-" + Long.toString(System.currentTimeMillis(), 36));
        String template = Files.readString(Path.of(opts.getOrDefault("template",
                Path.of(System.getProperty("user.dir"), "bench", "webhook-call-evaluated.template.json").toString()))).strip();
        String secretEnv = opts.getOrDefault("secret-env", "BENCH_WEBHOOK_SECRET");
        String secret = System.getenv(secretEnv);
        if (threads < 1 || events < 1 || warmup < 0) {
            throw new IllegalArgumentException("--threads and --events must be at least 1, --warmup at least 0");
        }
        if (warmup > 0) {
            run(url, template, secret, Math.min(threads, 4), warmup, prefix + "-warmup", false);
        }
        Result r = run(url, template, secret, threads, events, prefix, stopOnError);
        System.err.printf(Locale.ROOT, "%d thread(s): %d events in %.2f s = %.0f/s stored %d, duplicates %d, errors %d %s; "
                + "latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n", threads, events, r.seconds, r.stored / r.seconds,
                r.stored, r.duplicates, r.errors, r.errorKinds, r.pct(50), r.pct(90), r.pct(99), r.pct(100));
        System.out.printf(Locale.ROOT, "{\"threads\": %d, \"events\": %d, \"stored\": %d, \"duplicates\": %d, \"errors\": %d, "
                + "\"error_kinds\": \"%s\", \"seconds\": %.3f, \"events_per_s\": %.1f, \"p50_ms\": %.2f, \"p90_ms\": %.2f, "
                + "\"p99_ms\": %.2f, \"max_ms\": %.2f}%n", threads, events, r.stored, r.duplicates, r.errors,
                r.errorKinds.toString().replace("\"", "'"), r.seconds, r.stored / r.seconds, r.pct(50), r.pct(90), r.pct(99), r.pct(100));
        System.exit(r.stored == events ? 0 : 1);
    }

    private record Result(double seconds, long stored, long duplicates, long errors, Map<String, Long> errorKinds, long[] latencyNanos) {
        /** Nearest-rank percentile of the latencies, in ms. */
        double pct(double p) {
            if (latencyNanos.length == 0) {
                return 0;
            }
            int rank = (int) Math.ceil(p / 100.0 * latencyNanos.length);
            return latencyNanos[Math.max(0, Math.min(latencyNanos.length - 1, rank - 1))] / 1e6;
        }
    }

    private static Result run(URI url, String template, String secret, int threads, int events, String prefix, boolean stopOnError)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        long[] latencies = new long[events];
        Arrays.fill(latencies, -1);
        LongAdder stored = new LongAdder();
        java.util.concurrent.atomic.AtomicBoolean firstStored = new java.util.concurrent.atomic.AtomicBoolean();
        LongAdder duplicates = new LongAdder();
        LongAdder errors = new LongAdder();
        Map<String, LongAdder> kinds = new ConcurrentHashMap<>();
        List<Thread> senders = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            Thread sender = new Thread(() -> {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(10)).build();
                Mac mac = secret == null ? null : mac(secret);
                int i;
                while ((i = next.getAndIncrement()) < events) {
                    String callId = UUID.randomUUID().toString();
                    byte[] body = template.replace("{{call_id}}", callId)
                            .replace("{{evaluation_id}}", UUID.randomUUID().toString())
                            .replace("{{source_id}}", prefix + "-" + i).getBytes(StandardCharsets.UTF_8);
                    HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(60))
                            .header("Content-Type", "application/json")
                            .header("X-Bluejay-Event", "observability_call_evaluated")
                            .header("X-Bluejay-Delivery", prefix + "-" + i)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
                    if (mac != null) {
                        request.header("X-Bluejay-Signature", HexFormat.of().formatHex(mac.doFinal(body)));
                    }
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> answer = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
                        latencies[i] = System.nanoTime() - t0;
                        if (answer.statusCode() == 200 && answer.body().contains("\"stored\"")) {
                            stored.increment();
                            if (firstStored.compareAndSet(false, true)) {
                                System.out.println("first event stored"); // the crash round of B4 starts its clock here
                                System.out.flush();
                            }
                        } else if (answer.statusCode() == 200 && answer.body().contains("\"duplicate\"")) {
                            duplicates.increment();
                        } else {
                            errors.increment();
                            kinds.computeIfAbsent("HTTP " + answer.statusCode(), k -> new LongAdder()).increment();
                        }
                    } catch (IOException e) {
                        latencies[i] = System.nanoTime() - t0;
                        errors.increment();
                        kinds.computeIfAbsent(e.getClass().getSimpleName(), k -> new LongAdder()).increment();
                        if (stopOnError) {
                            return;
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }, "sender-" + t);
            senders.add(sender);
            sender.start();
        }
        for (Thread sender : senders) {
            sender.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] answered = Arrays.stream(latencies).filter(l -> l >= 0).sorted().toArray();
        Map<String, Long> errorKinds = new TreeMap<>();
        kinds.forEach((k, v) -> errorKinds.put(k, v.sum()));
        return new Result(seconds, stored.sum(), duplicates.sum(), errors.sum(), errorKinds, answered);
    }

    private static Mac mac(String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opts = new TreeMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            opts.put(args[i].substring(2), args[++i]);
        }
        return opts;
    }

    private static String required(Map<String, String> opts, String name) {
        String value = opts.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }
}
