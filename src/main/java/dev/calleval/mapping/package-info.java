/**
 * Mapping and validation: turns a {@link dev.calleval.source.CallRecord} into a {@code POST /v1/evaluate} body
 * or a rejection naming the file, line, field and reason. Local validation mirrors the API's documented
 * constraints (§1 of the API reference) so a bad row never costs an API call.
 */
@NullMarked
package dev.calleval.mapping;

import org.jspecify.annotations.NullMarked;
