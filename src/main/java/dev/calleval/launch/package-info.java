/**
 * Launching job executions: {@link dev.calleval.launch.JobRunner} starts an evaluate or enrich job
 * ({@code JobDefinition.BatchJob}) or restarts its last failed execution, and refuses a second execution of the same
 * job and source while one is alive. One {@code JobOperator} and one {@code JobRegistry} serve the process
 * ({@link dev.calleval.launch.LaunchConfiguration}). The jobs themselves are built in {@code evaluate/} and
 * {@code enrich/}; their reports are written by {@code report/ReportListener} when they end.
 */
@NullMarked
package dev.calleval.launch;

import org.jspecify.annotations.NullMarked;

