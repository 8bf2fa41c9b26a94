package dev.calleval.sandbox;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns the webhooks the sandbox produces into deliveries (API reference §3): applies the webhook faults of
 * {@link SandboxConfig.Faults} (drop, duplicate, jitter, reorder window), hands each copy to the
 * {@link WebhookSender}, and keeps the log ({@link SentWebhook}) and the counters ({@code sent}, {@code failures},
 * sent per type).
 *
 * <p>Without a webhook URL nothing is produced, logged or counted. Thread-safe.
 */
final class WebhookDispatcher {

    private static final System.Logger LOG = System.getLogger(WebhookDispatcher.class.getName());

    private final @Nullable WebhookSender sender;
    private final SandboxConfig.Faults faults;
    private final boolean recordBodies;
    private final Random random;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final JsonMapper json = JsonMapper.builder().build();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final ConcurrentHashMap<String, AtomicLong> sentByType = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Entry> log = new ConcurrentLinkedQueue<>();
    private final Object holdLock = new Object();
    private List<Entry> held = new ArrayList<>();

    /**
     * @param sender delivers the webhooks; {@code null} when no webhook URL is configured
     * @param random the sandbox's one seeded random source, shared so that fault sequences are reproducible
     */
    WebhookDispatcher(@Nullable WebhookSender sender, SandboxConfig.Faults faults, boolean recordBodies,
            Random random, Clock clock, ScheduledExecutorService scheduler) {
        this.sender = sender;
        this.faults = faults;
        this.recordBodies = recordBodies;
        this.random = random;
        this.clock = clock;
        this.scheduler = scheduler;
    }

    /**
     * Produces one webhook: dropped, sent once or twice, at once, after a jitter or when the reorder window closes.
     *
     * @param type the body's {@code type}
     * @param id what {@link SentWebhook#id()} shows for it
     * @param body the complete body, {@code type} included
     */
    void emit(String type, String id, ObjectNode body) {
        WebhookSender target = sender;
        if (target == null) {
            return;
        }
        byte[] bytes = json.writeValueAsBytes(body);
        if (faults.webhookDropRate() > 0 && random.nextDouble() < faults.webhookDropRate()) {
            LOG.log(System.Logger.Level.DEBUG, "dropping webhook {0} {1} (fault injection)", type, id);
            Entry dropped = newEntry(type, id, bytes);
            dropped.drop();
            return;
        }
        int copies = faults.webhookDuplicateRate() > 0 && random.nextDouble() < faults.webhookDuplicateRate() ? 2 : 1;
        boolean reorder = !faults.webhookReorderWindow().isZero();
        for (int i = 0; i < copies; i++) {
            Entry entry = newEntry(type, id, bytes);
            if (reorder) {
                hold(entry);
            } else {
                target.send(type, bytes, jitter(faults.webhookJitter()), entry);
            }
        }
    }

    /** Deliveries acknowledged with a 2xx. */
    long sent() {
        return sent.get();
    }

    /** Deliveries given up after every attempt failed. */
    long failures() {
        return failures.get();
    }

    /** Acknowledged deliveries per {@code type}. */
    Map<String, Long> sentByType() {
        Map<String, Long> counts = new ConcurrentHashMap<>();
        sentByType.forEach((type, count) -> counts.put(type, count.get()));
        return counts;
    }

    /** Every webhook produced so far, in production order. */
    List<SentWebhook> log() {
        List<SentWebhook> snapshot = new ArrayList<>();
        for (Entry entry : log) {
            snapshot.add(entry.snapshot());
        }
        snapshot.sort(Comparator.comparingLong(SentWebhook::seq));
        return snapshot;
    }

    private Entry newEntry(String type, String id, byte[] body) {
        Entry entry = new Entry(sequence.incrementAndGet(), type, id, clock.instant(), body);
        log.add(entry);
        return entry;
    }

    private void hold(Entry entry) {
        boolean first;
        synchronized (holdLock) {
            held.add(entry);
            first = held.size() == 1;
        }
        if (first) {
            try {
                scheduler.schedule(this::flush, faults.webhookReorderWindow().toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // closing: held webhooks are dropped like every pending delivery
            }
        }
    }

    /** Delivers everything held, one after the other, in an order that differs from production order. */
    private void flush() {
        List<Entry> batch;
        synchronized (holdLock) {
            batch = held;
            held = new ArrayList<>();
        }
        List<Entry> order = new ArrayList<>(batch);
        Collections.shuffle(order, random);
        if (order.size() > 1 && order.equals(batch)) {
            Collections.rotate(order, 1);
        }
        deliverInOrder(order, 0);
    }

    private void deliverInOrder(List<Entry> order, int index) {
        WebhookSender target = sender;
        if (target == null || index >= order.size()) {
            return;
        }
        Entry entry = order.get(index);
        target.send(entry.type, entry.body(), Duration.ZERO, entry)
                .whenComplete((ignored, error) -> deliverInOrder(order, index + 1));
    }

    private Duration jitter(Duration max) {
        if (max.isZero()) {
            return Duration.ZERO;
        }
        return Duration.ofNanos((long) (random.nextDouble() * max.toNanos()));
    }

    /** One produced webhook and how its delivery went; it listens to its own attempts. */
    private final class Entry implements WebhookSender.Listener {
        final long seq;
        final String type;
        final String id;
        final Instant producedAt;
        /** Kept until the delivery is settled, and after that only when bodies are recorded. */
        private byte @Nullable [] body;
        private SentWebhook.State state = SentWebhook.State.PENDING;
        private int attempts;
        private @Nullable Integer statusCode;

        Entry(long seq, String type, String id, Instant producedAt, byte[] body) {
            this.seq = seq;
            this.type = type;
            this.id = id;
            this.producedAt = producedAt;
            this.body = body;
        }

        synchronized void drop() {
            state = SentWebhook.State.DROPPED;
            if (!recordBodies) {
                body = null;
            }
        }

        synchronized byte[] body() {
            byte[] bytes = body;
            if (bytes == null) {
                throw new IllegalStateException("webhook " + seq + " is already settled");
            }
            return bytes;
        }

        @Override
        public void attempted(int attempt, @Nullable Integer status, boolean delivered, boolean givenUp) {
            synchronized (this) {
                attempts = attempt;
                statusCode = status;
                if (delivered) {
                    state = SentWebhook.State.DELIVERED;
                } else if (givenUp) {
                    state = SentWebhook.State.FAILED;
                }
                if ((delivered || givenUp) && !recordBodies) {
                    body = null;
                }
            }
            if (delivered) {
                sent.incrementAndGet();
                sentByType.computeIfAbsent(type, t -> new AtomicLong()).incrementAndGet();
            } else if (givenUp) {
                failures.incrementAndGet();
            }
        }

        synchronized SentWebhook snapshot() {
            byte[] bytes = body;
            return new SentWebhook(seq, type, id, producedAt, state, attempts, statusCode,
                    recordBodies && bytes != null ? new String(bytes, StandardCharsets.UTF_8) : null);
        }
    }
}
