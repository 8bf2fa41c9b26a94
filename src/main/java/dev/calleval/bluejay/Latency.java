package dev.calleval.bluejay;

import org.jspecify.annotations.Nullable;

/** Agent response latencies of one evaluation ({@code Latency}, §2.3), as Bluejay reports them (seconds). */
public record Latency(
        @Nullable Double avgAgentLatency,
        @Nullable Double maxAgentLatency,
        @Nullable Double p50AgentLatency,
        @Nullable Double p90AgentLatency,
        @Nullable Double p95AgentLatency,
        @Nullable Double p99AgentLatency) {}
