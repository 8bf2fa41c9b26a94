/**
 * Receiving Bluejay's webhooks ({@code POST /webhooks/bluejay}, §3 of the API reference): the signature is
 * checked on the raw body, the event is stored in the inbox (deduplicated) before 200 is answered, and
 * reconciliation reads the inbox later.
 */
@NullMarked
package dev.calleval.webhook;

import org.jspecify.annotations.NullMarked;
