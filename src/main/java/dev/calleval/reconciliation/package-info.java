/**
 * Reconciliation: matches stored {@code observability_call_evaluated} events and polled call logs to ledger rows
 * (by call id, else by {@code metadata.calleval_source_id}), records results without ever downgrading a terminal
 * state, polls {@code retrieve-call-log} for calls whose webhook has not come, and marks overdue calls.
 */
@NullMarked
package dev.calleval.reconciliation;

import org.jspecify.annotations.NullMarked;
