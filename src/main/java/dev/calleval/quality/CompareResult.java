package dev.calleval.quality;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * What {@code compare} found: every figure of every group ({@link Change}), the regressions among them, and the ways
 * it is shown — a table for people, a JSON document ({@link #toJson()}), a one-paragraph alert text.
 *
 * @param job the candidate's job
 * @param baseline the baseline's execution ids (pooled)
 * @param candidate the candidate's execution id
 * @param by the metadata key calls were also grouped by, null without
 * @param sameAsAll groups left out because every call of both sides is in them (e.g. {@code agent=1234} when there is
 *     one agent): their figures are those of {@code all}
 */
public record CompareResult(String job, List<Long> baseline, long candidate, @Nullable String by, Comparison comparison,
        List<Change> changes, List<String> sameAsAll) {

    public CompareResult {
        baseline = List.copyOf(baseline);
        changes = List.copyOf(changes);
        sameAsAll = List.copyOf(sameAsAll);
    }

    /** The changes that are regressions. */
    public List<Change> regressions() {
        return changes.stream().filter(Change::regression).toList();
    }

    /** A rate as a percentage, a latency in seconds, a mean as it is. */
    static String value(String kind, @Nullable Double v) {
        if (v == null) {
            return "–";
        }
        return kind.equals("rate") ? String.format(Locale.ROOT, "%.1f%%", v * 100) : String.format(Locale.ROOT, "%.3f", v)
                + (kind.equals("seconds") ? " s" : "");
    }

    /** A change: pp for rates, with the relative change for the others. */
    static String difference(Change c) {
        if (c.difference() == null) {
            return "–";
        }
        if (c.kind().equals("rate")) {
            return String.format(Locale.ROOT, "%+.1fpp", c.difference() * 100);
        }
        String absolute = String.format(Locale.ROOT, "%+.3f", c.difference()) + (c.kind().equals("seconds") ? " s" : "");
        return c.baseline() == null || c.baseline() == 0 ? absolute
                : absolute + String.format(Locale.ROOT, " (%+.0f%%)", c.difference() / Math.abs(c.baseline()) * 100);
    }

    /** The verdict column: REGRESSION, beyond threshold (not significant), ok, or – when not judged. */
    static String verdict(Change c) {
        if (c.regression()) {
            return "REGRESSION (" + c.threshold().direction().option() + " " + c.threshold().shown() + ")";
        }
        if (c.exceeded()) {
            return "beyond " + c.threshold().shown() + ", not significant";
        }
        return c.threshold() == null || c.difference() == null ? "" : "ok";
    }

    private static String p(Change c) {
        if (c.pValue() == null) {
            return "–";
        }
        String p = c.pValue() < 0.001 ? "<0.001" : String.format(Locale.ROOT, "%.3f", c.pValue());
        return p + (c.significant() ? " *" : "") + (c.smallSample() ? " †" : "");
    }

    /** The table {@code compare} prints: a header line, one row per figure with data, the legend and the verdict. */
    public String table() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"group", "metric", "baseline", "n", "candidate", "n", "change", "p", "verdict"});
        for (Change c : changes) {
            if (c.baselineN() == 0 && c.candidateN() == 0) {
                continue;
            }
            rows.add(new String[] {c.group(), c.metric(), value(c.kind(), c.baseline()), Long.toString(c.baselineN()),
                    value(c.kind(), c.candidate()), Long.toString(c.candidateN()), difference(c), p(c), verdict(c)});
        }
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(headline()).append('\n');
        if (!sameAsAll.isEmpty()) {
            out.append("every call in ").append(String.join(", ", sameAsAll)).append(": those rows are the all rows\n");
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(i == r.length - 1 ? r[i] : String.format("%-" + (width[i] + 2) + "s", r[i]));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        out.append("p: two-sided; rates: two-proportion z-test, means: Welch t-test, latencies: descriptive only; * significant at alpha ")
                .append(comparison.alpha()).append("; † small sample (the test's approximation is rough)\n");
        List<Change> regressions = regressions();
        out.append(regressions.isEmpty() ? "no regression" : regressions.size() + (regressions.size() == 1 ? " regression: " : " regressions: ")
                + regressions.stream().map(CompareResult::named).collect(Collectors.joining("; "))).append('\n');
        return out.toString();
    }

    /** {@code compare sample: baseline execution(s) 1 → candidate 2} with the thresholds. */
    public String headline() {
        return "compare " + job + ": baseline execution" + (baseline.size() == 1 ? " " : "s ")
                + baseline.stream().map(String::valueOf).collect(Collectors.joining(", ")) + " → candidate " + candidate
                + (by == null ? "" : ", by " + by) + "; thresholds "
                + comparison.thresholds().thresholds().stream().map(t -> t.direction().option() + " " + t.shown()).collect(Collectors.joining(", "));
    }

    /** One regression in words: {@code goal_success (all) 100.0% → 60.0% (-40.0pp, p=0.006; max-drop goal_success=5pp)}. */
    static String named(Change c) {
        return c.metric() + " (" + c.group() + ") " + value(c.kind(), c.baseline()) + " → " + value(c.kind(), c.candidate()) + " ("
                + difference(c) + (c.pValue() == null ? "" : ", p=" + p(c).replace(" *", "").replace(" †", "")) + "; "
                + c.threshold().direction().option() + " " + c.threshold().shown() + ")";
    }

    /** The text of an alert: the job, the executions, each regression in words. */
    public String alertText() {
        List<Change> regressions = regressions();
        return "calleval: " + job + " regressed in execution " + candidate + " (against " + (baseline.size() == 1 ? "execution " : "executions ")
                + baseline.stream().map(String::valueOf).collect(Collectors.joining(", ")) + "): "
                + regressions.stream().map(CompareResult::named).collect(Collectors.joining("; "));
    }

    /** The result as a JSON-ready tree (snake_case keys), what {@code compare --format json} prints. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("job", job);
        json.put("baseline", baseline);
        json.put("candidate", candidate);
        json.put("by", by);
        json.put("alpha", comparison.alpha());
        json.put("thresholds", comparison.thresholds().thresholds().stream().map(t -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("metric", t.metric());
            m.put("direction", t.direction().option());
            m.put("amount", t.amount());
            m.put("unit", t.unit().name().toLowerCase(Locale.ROOT));
            return m;
        }).toList());
        json.put("same_as_all", sameAsAll);
        json.put("regression", !regressions().isEmpty());
        json.put("changes", changes.stream().filter(c -> c.baselineN() > 0 || c.candidateN() > 0).map(CompareResult::json).toList());
        return json;
    }

    static Map<String, Object> json(Change c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("group", c.group());
        m.put("metric", c.metric());
        m.put("kind", c.kind());
        m.put("baseline", c.baseline());
        m.put("baseline_n", c.baselineN());
        m.put("candidate", c.candidate());
        m.put("candidate_n", c.candidateN());
        m.put("difference", c.difference());
        m.put("test", c.test());
        m.put("p_value", c.pValue());
        m.put("significant", c.significant());
        m.put("small_sample", c.smallSample());
        m.put("threshold", c.threshold() == null ? null : c.threshold().direction().option() + " " + c.threshold().shown());
        m.put("exceeded", c.exceeded());
        m.put("regression", c.regression());
        return m;
    }
}
