package dev.calleval.quality;

import org.jspecify.annotations.Nullable;

/**
 * One figure of one group, baseline against candidate, as {@code compare} prints it and the trend section and alerts
 * use it.
 *
 * @param group {@code all}, {@code agent=<key>}, {@code label=<label>} or {@code <metadata key>=<value>}
 * @param metric the figure's name ({@link Threshold#metric})
 * @param kind how the figure is measured: {@code rate} (a fraction 0..1), {@code seconds} or {@code mean}
 * @param baseline the baseline's value, null when it has no data for the figure
 * @param candidate the candidate's value, null when it has no data
 * @param baselineN calls the baseline's value is computed over
 * @param candidateN calls the candidate's value is computed over
 * @param difference {@code candidate − baseline} (a fraction for rates), null unless both have a value
 * @param test the significance test used ({@link Significance})
 * @param pValue its two-sided p-value, null when it was not or could not be run
 * @param significant {@code pValue < alpha}
 * @param smallSample the test's approximation is rough for these counts
 * @param threshold the threshold the figure is judged by in its bad direction, null without one
 * @param exceeded the figure moved beyond {@code threshold}
 * @param regression {@code exceeded}, and significant when a p-value exists ({@link Comparison}'s rule)
 */
public record Change(String group, String metric, String kind, @Nullable Double baseline, @Nullable Double candidate, long baselineN,
        long candidateN, @Nullable Double difference, String test, @Nullable Double pValue, boolean significant, boolean smallSample,
        @Nullable Threshold threshold, boolean exceeded, boolean regression) {}
