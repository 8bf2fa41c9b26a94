/**
 * The sandbox: an embedded, Bluejay-compatible HTTP server on loopback that {@code --sandbox} runs and the tests
 * run against ({@code shared/bluejay-openapi.json}, described in {@code shared/bluejay-api.md}). It
 * <ul>
 *   <li>validates {@code POST /v1/evaluate} bodies as FastAPI/Pydantic v2 would (§1), answers with call ids,
 *       serves {@code GET /v1/retrieve-call-log/{call_id}} (§2.1), the paged
 *       {@code GET /v1/retrieve-call-logs/{agent_id}} (§2.4) and {@code POST /v1/re-evaluate/{call_id}} (§6);</li>
 *   <li>runs the simulations of a configured catalog: {@code queue-sms-simulation-run}, {@code end-conversations},
 *       {@code update-simulation-result} and the two retrieve endpoints (§4), with a result lifecycle
 *       {@code RUNNING -> CONVERSATION_ENDED -> EVALUATING -> COMPLETED};</li>
 *   <li>sends the four signed webhook types (§3);</li>
 *   <li>injects faults (latency, 429 with {@code Retry-After}, 5xx, connection resets, requests processed and then
 *       answered 504 or reset, dropped / duplicated / delayed / reordered webhooks);</li>
 *   <li>records what reached it: a request log, counters per endpoint and a webhook log, in Java
 *       ({@link dev.calleval.sandbox.SandboxServer#requests()}, {@code stats()}, {@code webhooks()}) and over HTTP
 *       under {@code /_sandbox/}.</li>
 * </ul>
 *
 * <p>It never invents judgement: a call's evaluation carries only what can be computed from the inline transcript
 * (turns, speaking share, response latencies) and leaves every judged metric null; a simulation result's
 * evaluation carries only the outcome its catalog entry scripts.
 *
 * <p>The package depends on the JDK, Jackson and picocli only (no Spring, nothing of the application), so it also
 * runs standalone through {@link dev.calleval.sandbox.SandboxMain}. Its public types are what the application and
 * the tests of other packages use: {@code SandboxServer}, {@code SandboxConfig}, {@code SandboxMain},
 * {@code SandboxStats}, {@code SandboxEndpoint}, {@code LoggedRequest}, {@code SimulationSpec} and
 * {@code DigitalHumanSpec}; everything else is package-private, one job per class: {@code ApiHandler} (the request
 * pipeline), {@code FaultInjector}, {@code CallsApi} and {@code SimulationsApi} (the endpoints), {@code AdminApi},
 * {@code Simulations} (the simulation lifecycle), the validators over {@code PydanticTypes}, and the webhook
 * dispatcher and sender.
 */
@NullMarked
package dev.calleval.sandbox;

import org.jspecify.annotations.NullMarked;

