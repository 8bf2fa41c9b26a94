/**
 * Typed client for the Bluejay HTTP API: request and response records (snake_case JSON, nulls omitted, unknown
 * fields ignored, open enums), the error model ({@link dev.calleval.bluejay.BluejayApiException} and its
 * subtypes, which say by their type whether a retry can help) and the one shared HTTP client with its rate
 * limiter, retry and circuit breaker. Section numbers in the Javadoc refer to {@code shared/bluejay-api.md}.
 */
@NullMarked
package dev.calleval.bluejay;

import org.jspecify.annotations.NullMarked;
