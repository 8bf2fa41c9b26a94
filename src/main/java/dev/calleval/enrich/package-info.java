/**
 * Enriching simulation results: reads the per-call logs an agent under test wrote during simulated calls (one
 * JSON file per simulation result, from a directory or a CSV manifest), turns each into a
 * {@code POST /v1/update-simulation-result} body (API reference §4.1) or a rejection naming file and field, and
 * posts each result at most once to each Bluejay endpoint (a post to the sandbox does not count for the real API),
 * guarded by the {@code simulation_update} ledger: the request is not idempotent
 * (a second post duplicates the tool calls), so an ambiguous failure is recorded IN_DOUBT and never re-posted
 * unless an operator asks for it ({@code --resend-in-doubt}).
 *
 * <p>Flow: {@link dev.calleval.enrich.SimulationLogSource} (directory | manifest) →
 * {@link dev.calleval.enrich.SimulationLogItemReader} → {@link dev.calleval.enrich.SimulationLogMapper}
 * → {@link dev.calleval.enrich.SimulationUpdateWriter} (claims in the chunk transaction, posts after commit)
 * → {@link dev.calleval.enrich.EnrichReportWriter}.
 */
@NullMarked
package dev.calleval.enrich;

import org.jspecify.annotations.NullMarked;

