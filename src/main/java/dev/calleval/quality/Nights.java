package dev.calleval.quality;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The figures of job executions ("nights") grouped for comparison, and the comparisons themselves: what
 * {@code compare} prints, what the trend section of {@code report.html} draws. Thread-safe.
 */
@Component
public class Nights {
    /** The group of every call. */
    public static final String ALL = "all";

    private final QualityRecords records;

    public Nights(QualityRecords records) {
        this.records = records;
    }

    /** The records these figures are read from. */
    public QualityRecords records() {
        return records;
    }

    /**
     * The figures of the calls the executions read (each call once), by group: {@link #ALL}, {@code agent=<key>} per
     * agent, {@code label=<label>} per label (calls without one: {@code label=(none)}), and with {@code by} a metadata
     * key, {@code <by>=<value>} per value of it ({@code (none)} when a call lacks it).
     */
    public Map<String, Figures> figures(List<Long> executionIds, @Nullable String by) {
        Map<String, Figures> groups = new LinkedHashMap<>();
        groups.put(ALL, new Figures());
        List<Map<String, Figures>> kinds = List.of(new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>());
        records.forEachEvaluatedCall(executionIds, call -> {
            groups.get(ALL).add(call);
            kinds.get(0).computeIfAbsent("agent=" + call.agentKey(), k -> new Figures()).add(call);
            kinds.get(1).computeIfAbsent("label=" + (call.label() == null ? "(none)" : call.label()), k -> new Figures()).add(call);
            if (by != null) {
                kinds.get(2).computeIfAbsent(by + "=" + call.metadata().getOrDefault(by, "(none)"), k -> new Figures()).add(call);
            }
        });
        kinds.forEach(groups::putAll);
        return groups;
    }

    /**
     * Compares the pooled calls of {@code baseline} with those of {@code candidate}. A kind of group with one group
     * only on both sides (one agent, say) is left out: its rows would be those of {@link #ALL}
     * ({@link CompareResult#sameAsAll}).
     *
     * @param job the job named in the result (the candidate's)
     */
    public CompareResult compare(String job, List<Long> baseline, long candidate, @Nullable String by, Comparison comparison) {
        Map<String, Figures> before = figures(baseline, by);
        Map<String, Figures> after = figures(List.of(candidate), by);
        List<String> same = new ArrayList<>();
        for (String kind : by == null ? List.of("agent", "label") : List.of("agent", "label", by)) {
            java.util.Set<String> keys = new java.util.TreeSet<>();
            before.keySet().stream().filter(k -> k.startsWith(kind + "=")).forEach(keys::add);
            after.keySet().stream().filter(k -> k.startsWith(kind + "=")).forEach(keys::add);
            if (keys.size() == 1) { // every call of both sides in one group: its rows would repeat those of all
                same.add(keys.iterator().next());
                before.keySet().removeAll(keys);
                after.keySet().removeAll(keys);
            }
        }
        return new CompareResult(job, List.copyOf(baseline), candidate, by, comparison, comparison.compare(before, after), same);
    }

    /**
     * One night of a trend.
     *
     * @param goalSuccess fraction of judged calls, null when none was judged; likewise {@code hallucination}
     * @param latencyP90 the 90th percentile of the calls' p90 latencies, seconds; null without latencies
     */
    public record Night(long executionId, java.time.@Nullable Instant startTime, long calls, @Nullable Double goalSuccess,
            @Nullable Double hallucination, @Nullable Double latencyP90) {}

    /**
     * A job's recent nights and how the newest compares with the ones before it.
     *
     * @param nights oldest first, the newest ({@code executionId} of {@link #trend}) last
     * @param changes the {@code all} group's figures of the newest night against the pooled nights before it (at most
     *     {@code baselineLast} of them); empty when there is no earlier night
     * @param comparison the thresholds and significance level the changes were judged by
     */
    public record Trend(List<Night> nights, List<Long> baseline, List<Change> changes, Comparison comparison) {
        /** The regressions among {@link #changes}. */
        public List<Change> regressions() {
            return changes.stream().filter(Change::regression).toList();
        }
    }

    /**
     * The trend ending at {@code executionId}: it and up to {@code count − 1} COMPLETED executions of its job before it;
     * the newest compared with up to {@code baselineLast} of those before it by {@code comparison}.
     */
    public Trend trend(String job, long executionId, int count, int baselineLast, Comparison comparison) {
        List<QualityRecords.ExecutionRef> earlier = records.completedExecutions(job, executionId, Math.max(count - 1, baselineLast));
        List<Night> nights = new ArrayList<>();
        List<QualityRecords.ExecutionRef> shown = new ArrayList<>(earlier.subList(0, Math.min(earlier.size(), count - 1)));
        java.util.Collections.reverse(shown);
        for (QualityRecords.ExecutionRef ref : shown) {
            nights.add(night(ref.id(), ref.startTime()));
        }
        nights.add(night(executionId, records.execution(executionId).map(QualityRecords.ExecutionRef::startTime).orElse(null)));
        List<Long> baseline = earlier.subList(0, Math.min(earlier.size(), baselineLast)).stream().map(QualityRecords.ExecutionRef::id).toList();
        List<Change> changes = baseline.isEmpty() ? List.of() : comparison.compare(ALL, all(baseline), all(List.of(executionId)));
        return new Trend(nights, baseline, changes, comparison);
    }

    private Night night(long id, java.time.@Nullable Instant start) {
        Figures f = new Figures();
        records.forEachEvaluatedCall(List.of(id), false, f::add); // the key figures of all calls only: no JSON read
        Map<String, Measure> m = f.measures();
        return new Night(id, start, f.calls(), finite(m.get("goal_success")), finite(m.get("hallucination")), finite(m.get("latency_p90")));
    }

    /** The figures of every call of the executions, custom metrics included, without the other groups. */
    private Figures all(List<Long> executionIds) {
        Figures f = new Figures();
        records.forEachEvaluatedCall(executionIds, true, f::add);
        return f;
    }

    private static @Nullable Double finite(Measure m) {
        return m.size() == 0 || !Double.isFinite(m.value()) ? null : m.value();
    }
}
