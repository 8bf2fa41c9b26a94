package dev.calleval.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Which of the calls a run could send it sends now (a job file's {@code sampling:} section): a deterministic sample by
 * source id, and at most so many per run.
 *
 * <p>The sample: a call is in it when its source id's place in {@code [0, 100)} is below {@code percent}. The place is
 * the first 53 bits of the SHA-256 of the source id (UTF-8) read as a fraction, times 100: the same on every run, JVM and
 * machine, independent of the agent and of the order of the input; and raising {@code percent} keeps every call that
 * was in the sample (the new sample is a superset).
 *
 * <p>The cap: of the calls a run could send, in input order, at most {@code maxCalls}; the others are DEFERRED and the
 * next run sends them. Calls in doubt (an earlier run left them in flight) are resent whatever the sample and the cap
 * say (they may exist at Bluejay; the lookup settles them), and count towards the cap.
 *
 * @param percent the share of source ids in the sample, above 0 and at most 100 (100: every call)
 * @param maxCalls the most calls one run sends (a job execution; a restart is an execution of its own); null: no cap
 */
public record Sampling(double percent, @Nullable Integer maxCalls) {
    /** Every call, no cap. */
    public static final Sampling ALL = new Sampling(100, null);

    /** @throws IllegalArgumentException when {@code percent} is not in (0, 100] or {@code maxCalls} is below 1 */
    public Sampling {
        if (!(percent > 0 && percent <= 100)) {
            throw new IllegalArgumentException("sampling.percent must be above 0 and at most 100, got " + shown(percent));
        }
        if (maxCalls != null && maxCalls < 1) {
            throw new IllegalArgumentException("sampling.max-calls must be at least 1, got " + maxCalls);
        }
    }

    /** What a run does with a call it could send. */
    public enum Choice {
        /** Sent by this run. */
        SEND,
        /** Not in the sample: recorded NOT_SAMPLED, sent by a later run only when its sample includes it. */
        NOT_SAMPLED,
        /** In the sample, but the run has reached {@code max-calls}: recorded DEFERRED, the next run sends it. */
        DEFERRED
    }

    /** Whether the sample includes the call with this source id. */
    public boolean includes(String sourceId) {
        return percent >= 100 || place(sourceId) < percent;
    }

    /**
     * The source id's place in {@code [0, 100)}: the first 53 bits of its SHA-256 as a fraction of 1, times 100.
     * Exposed for tests and docs.
     */
    static double place(String sourceId) {
        byte[] hash = sha256(sourceId.getBytes(StandardCharsets.UTF_8));
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits = (bits << 8) | (hash[i] & 0xff);
        }
        return (bits >>> 11) * 0x1.0p-53 * 100;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /**
     * The choices of one run from the point where it has already chosen {@code sent} calls to send (0 at its start).
     * Not thread-safe: one per chunk being claimed (a chunk claimed again after a lost connection starts from the same
     * count).
     */
    public Chooser chooser(long sent) {
        return new Chooser(sent);
    }

    /** Chooses, call by call in input order, what a run does with the calls it could send; counts what it sends. */
    public final class Chooser {
        private long sent;

        private Chooser(long sent) {
            this.sent = sent;
        }

        /**
         * @param sourceId the call's source id
         * @param inDoubt an earlier run left it in flight: sent whatever the sample and the cap say
         */
        public Choice choose(String sourceId, boolean inDoubt) {
            if (!inDoubt) {
                if (!includes(sourceId)) {
                    return Choice.NOT_SAMPLED;
                }
                if (maxCalls != null && sent >= maxCalls) {
                    return Choice.DEFERRED;
                }
            }
            sent++;
            return Choice.SEND;
        }

        /** The calls chosen to send so far, those before this chooser included. */
        public long sent() {
            return sent;
        }
    }

    /** As an operator writes it: {@code 10}, {@code 0.5}. */
    static String shown(double percent) {
        return percent == Math.rint(percent) && Math.abs(percent) < 1e15 ? Long.toString((long) percent) : String.format(Locale.ROOT, "%s", percent);
    }

    /** E.g. {@code 10 % of source ids, at most 5000 calls per run}; {@code every call} for {@link #ALL}. */
    @Override
    public String toString() {
        if (percent >= 100 && maxCalls == null) {
            return "every call";
        }
        return (percent >= 100 ? "every call" : shown(percent) + " % of source ids") + (maxCalls == null ? "" : ", at most " + maxCalls + " per run");
    }
}
