/**
 * Submitting claimed calls: the submit step's item writer claims each chunk's calls in the ledger (inside the
 * chunk transaction) and, once the chunk has committed, hands them to the {@link dev.calleval.submission.Submitter},
 * which sends them concurrently up to the in-flight limit and records each outcome in the ledger.
 */
@NullMarked
package dev.calleval.submission;

import org.jspecify.annotations.NullMarked;
