/**
 * Mapping and validation: turns a {@link dev.calleval.source.CallRecord} into a {@code POST /v1/evaluate} body
 * or a rejection naming the file, line, field and reason. Local validation mirrors the API's documented
 * constraints (§1 of the API reference) so a bad row never costs an API call.
 *
 * <p>{@link dev.calleval.mapping.CallMapper}, the job's item processor, works in three stages: {@code CallInputs}
 * does all the I/O (the files a row names, locally or in S3, and presigned recording URLs) and keeps a problem per
 * column; {@code CallMappingRules} is a pure function of the row and those contents (the rules and the API's
 * constraints, tested without files); with the job's {@code redaction:} on, {@code dev.calleval.redaction.RequestRedactor}
 * replaces personal data in the accepted request; {@code Fingerprint} then hashes it for the ledger.
 */
@NullMarked
package dev.calleval.mapping;

import org.jspecify.annotations.NullMarked;

