/**
 * The request budget of each Bluejay account (base URL + API key), shared by every execution in every process on the
 * same state store (docs/rate-budget.md): Bucket4j's bucket in the store paces the permits, a cool-down row holds
 * everyone back after a 429, and a member row per execution tells how many share the account.
 */
@NullMarked
package dev.calleval.budget;

import org.jspecify.annotations.NullMarked;
