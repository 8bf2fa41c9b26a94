/**
 * Re-evaluation rounds ({@code reevaluate JOB}, docs/reevaluation.md): chooses evaluated calls of a job from the ledger,
 * sends {@code POST /v1/re-evaluate/{call_id}} for each once per round, reconciles the new evaluations (webhook or
 * polling) and writes the round's report with old and new results. A round is one instance of the Spring Batch job
 * {@code reevaluate-<job>}; a restart of a failed round is another execution of the same instance.
 */
@NullMarked
package dev.calleval.reevaluate;

import org.jspecify.annotations.NullMarked;
