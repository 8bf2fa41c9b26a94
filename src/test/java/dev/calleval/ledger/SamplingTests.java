package dev.calleval.ledger;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Sampling}: the sample is a pure function of the source id, stable across machines, nested as percent grows; the cap counts in input order. */
class SamplingTests {
    private static final List<String> IDS = IntStream.range(0, 10_000).mapToObj(i -> "call-" + i).toList();

    private static Set<String> sample(double percent) {
        Sampling sampling = new Sampling(percent, null);
        return IDS.stream().filter(sampling::includes).collect(Collectors.toSet());
    }

    @Test
    void placeIsTheSha256OfTheSourceIdPinnedSoThatEveryMachineAndVersionChoosesTheSameCalls() {
        // pinned: changing the hash or its reading would change which calls every existing job samples
        assertThat(Sampling.place("nw-2026-11-19-0001")).isEqualTo(Sampling.place(new String("nw-2026-11-19-0001")));
        assertThat(Sampling.place("call-1")).isBetween(0.0, 100.0);
        assertThat(IDS.stream().limit(5).map(id -> String.format(java.util.Locale.ROOT, "%.6f", Sampling.place(id))).toList())
                .containsExactly(PINNED);
    }

    /**
     * The places of call-0 ... call-4, computed apart from Java (Python: first 8 bytes of hashlib.sha256 >> 11, / 2^53 × 100).
     */
    private static final String[] PINNED = {"32.272999", "36.513351", "23.304539", "81.986743", "30.972948"};

    @Test
    void aPercentSamplesAboutThatShareAndAHigherPercentIncludesEveryCallOfALowerOne() {
        Set<String> ten = sample(10);
        Set<String> fifty = sample(50);
        assertThat(ten.size()).isBetween(900, 1100);
        assertThat(fifty.size()).isBetween(4800, 5200);
        assertThat(fifty).containsAll(ten);
        assertThat(sample(100)).hasSize(IDS.size());
        assertThat(sample(0.5).size()).isBetween(30, 70);
    }

    @Test
    void theCapSendsTheFirstCallsInInputOrderAndCallsInDoubtAlwaysButCounted() {
        Sampling.Chooser chooser = new Sampling(100, 3).chooser(1);
        assertThat(chooser.choose("a", false)).isEqualTo(Sampling.Choice.SEND);
        assertThat(chooser.choose("b", false)).isEqualTo(Sampling.Choice.SEND);
        assertThat(chooser.choose("c", false)).isEqualTo(Sampling.Choice.DEFERRED);
        assertThat(chooser.choose("d", true)).as("in doubt: resent whatever the cap").isEqualTo(Sampling.Choice.SEND);
        assertThat(chooser.sent()).isEqualTo(4);
        String outside = IDS.stream().filter(id -> !new Sampling(10, null).includes(id)).findFirst().orElseThrow();
        Sampling.Chooser sampled = new Sampling(10, 1).chooser(5);
        assertThat(sampled.choose(outside, false)).as("the sample is decided before the cap").isEqualTo(Sampling.Choice.NOT_SAMPLED);
        assertThat(sampled.choose(outside, true)).isEqualTo(Sampling.Choice.SEND);
    }

    @Test
    void rejectsAPercentOutsideZeroToHundredAndACapBelowOneNamingTheKey() {
        assertThatThrownBy(() -> new Sampling(0, null)).hasMessage("sampling.percent must be above 0 and at most 100, got 0");
        assertThatThrownBy(() -> new Sampling(100.5, null)).hasMessage("sampling.percent must be above 0 and at most 100, got 100.5");
        assertThatThrownBy(() -> new Sampling(Double.NaN, null)).hasMessageContaining("sampling.percent");
        assertThatThrownBy(() -> new Sampling(10, 0)).hasMessage("sampling.max-calls must be at least 1, got 0");
        assertThat(new Sampling(10, 5000)).hasToString("10 % of source ids, at most 5000 per run");
        assertThat(Sampling.ALL).hasToString("every call");
    }
}
