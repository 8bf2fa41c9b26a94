/**
 * PII redaction: finds personal data in the text of a call (e-mail addresses, phone numbers, payment cards, US social
 * security numbers, IBANs, IP addresses, the participants' names and named patterns of the job) and replaces it before
 * a request leaves, as a label ({@code [PHONE]}) or a mask of the same length. A pure feature: no I/O, no Spring; it
 * knows only the request types of {@code dev.calleval.bluejay}. See docs/redaction.md.
 *
 * <p>{@link dev.calleval.redaction.RedactionPolicy} is what a job asks for, {@link dev.calleval.redaction.Redactor}
 * redacts one text, {@link dev.calleval.redaction.RequestRedactor} every text field of a {@code POST /v1/evaluate}
 * body, counting what it replaced per type ({@link dev.calleval.redaction.RedactionCounts}).
 */
@NullMarked
package dev.calleval.redaction;

import org.jspecify.annotations.NullMarked;
