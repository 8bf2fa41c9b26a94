/**
 * The sandbox: an embedded, Bluejay-compatible HTTP server on loopback that {@code --sandbox} runs and the tests
 * run against. It validates {@code POST /v1/evaluate} bodies as FastAPI/Pydantic v2 would against the
 * reference spec ({@code shared/bluejay-openapi.json}, described in {@code shared/bluejay-api.md} §1), answers
 * with call ids, serves {@code GET /v1/retrieve-call-log/{call_id}} (§2), sends signed
 * {@code observability_call_evaluated} webhooks (§3) and injects faults (latency, 429 with {@code Retry-After},
 * 5xx, connection resets, dropped / duplicated / reordered webhooks).
 *
 * <p>It never invents judgement: an evaluation carries only what can be computed from the inline transcript
 * (turns, speaking share, response latencies) and leaves every judged metric null.
 *
 * <p>The package depends on the JDK and Jackson only (no Spring), so it also runs standalone through
 * {@link dev.calleval.sandbox.SandboxMain}.
 */
@NullMarked
package dev.calleval.sandbox;

import org.jspecify.annotations.NullMarked;
