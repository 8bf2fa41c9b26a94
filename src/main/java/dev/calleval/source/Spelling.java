package dev.calleval.source;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * "Did you mean ...?": the known name closest to a misspelt one, by edit distance (insertions, deletions,
 * substitutions, case ignored). Used for job-file keys and manifest columns.
 */
public final class Spelling {
    private Spelling() {}

    /**
     * The candidate closest to {@code written}, if one is close enough to be a plausible misspelling: at most a third of
     * the longer name's characters differ (at least one may), or one name is the other plus a suffix or prefix of
     * at least three characters ({@code start_time} for {@code start_time_utc}, {@code agent} for {@code agent_id}).
     *
     * @param written the unknown name as written
     * @param candidates the known names
     * @return the closest candidate; empty when none is close or {@code candidates} is empty
     */
    public static Optional<String> closest(String written, Collection<String> candidates) {
        String w = written.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            String c = candidate.toLowerCase(Locale.ROOT);
            int d = distance(w, c);
            boolean close = d <= Math.max(1, Math.max(w.length(), c.length()) / 3)
                    || (w.length() >= 3 && c.length() >= 3 && (c.startsWith(w) || w.startsWith(c)));
            if (close && d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The Levenshtein distance of two strings (Apache Commons Text). */
    public static int distance(String a, String b) {
        return LevenshteinDistance.getDefaultInstance().apply(a, b);
    }
}
