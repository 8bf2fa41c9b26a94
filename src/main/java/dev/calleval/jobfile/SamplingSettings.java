package dev.calleval.jobfile;

import dev.calleval.ledger.Sampling;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which calls an evaluate job sends ({@code sampling:}): a deterministic sample by source id, and a per-run cap. The
 * calls left out are recorded in the ledger (NOT_SAMPLED, DEFERRED) and counted in every report; see {@link Sampling}
 * and docs/plan-and-sampling.md.
 *
 * @param percent the share of source ids sent, above 0 and at most 100 (default 100: every call); the same calls on
 *     every run and machine, and a higher percent includes every call a lower one did
 * @param maxCalls the most calls one run sends; the rest are DEFERRED and the next run sends them (default: no cap)
 */
public record SamplingSettings(@DefaultValue("100") double percent, @Nullable Integer maxCalls) {
    /** @throws IllegalArgumentException naming the key when a value is out of range */
    public SamplingSettings {
        new Sampling(percent, maxCalls);
    }

    /** The sample and cap as the ledger applies them. */
    public Sampling sampling() {
        return new Sampling(percent, maxCalls);
    }
}
