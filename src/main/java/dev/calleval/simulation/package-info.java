/**
 * Simulation runs: queueing SMS simulation runs, ending conversations, and tracking runs and their results from
 * the simulation webhooks ({@code simulation_ended}, {@code simulation_result_evaluated},
 * {@code outbound_simulation_started}) and from polling (API reference §3.5–§3.7, §4.2–§4.5).
 */
@NullMarked
package dev.calleval.simulation;

import org.jspecify.annotations.NullMarked;
