/**
 * The evaluate job ({@link dev.calleval.evaluate.EvaluateJobFactory}, the whole job on one screen): a chunked,
 * restartable submit step whose item writer claims each chunk's calls in the ledger (inside the chunk transaction)
 * and, once the chunk has committed, hands them to the {@link dev.calleval.evaluate.Submitter}, which sends them
 * concurrently up to the in-flight limit and records each outcome; the submit step's progress and metrics; and the
 * reconcile step that applies the webhook inbox and polls for late results. See this folder's README.md.
 */
@NullMarked
package dev.calleval.evaluate;

import org.jspecify.annotations.NullMarked;

