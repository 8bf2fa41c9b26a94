/**
 * The plan of an evaluate job ({@code run JOB --dry-run}): every row read, mapped and validated as a run would, the
 * ledger consulted without writing, the job's sampling applied, and what a run would send counted, timed at the rate
 * limit and costed ({@link dev.calleval.plan.Planner}); written to {@code plan.json} and {@code plan.csv} beside the
 * job's reports. See docs/plan-and-sampling.md.
 */
@NullMarked
package dev.calleval.plan;

import org.jspecify.annotations.NullMarked;
