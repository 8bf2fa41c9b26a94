/**
 * One job execution's liveness, shared by every job: the heartbeat that marks this process's execution alive
 * ({@link dev.calleval.execution.ExecutionHeartbeatListener}), the check that tells a dead execution from a running
 * one on this host or another ({@link dev.calleval.execution.ExecutionLiveness}), and stopping cleanly on an
 * interrupt or a stop request ({@link dev.calleval.execution.StopRequests}). The ledger asks it before it reclaims
 * calls a dead execution had claimed.
 */
@NullMarked
package dev.calleval.execution;

import org.jspecify.annotations.NullMarked;

