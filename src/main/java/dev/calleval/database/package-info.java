/**
 * Riding through database outages: {@link dev.calleval.database.DatabaseRetry} runs a unit of database work (one
 * transaction) again, with backoff, when the connection was lost (a PostgreSQL restart or failover, the H2 file's
 * serving process going away), for up to {@code calleval.database.outage-tolerance}. It is the only layer that
 * retries database work: it wraps whole transactions (the submit step's claims, the ledger's group commits, the
 * reconcile passes, Spring Batch's job repository updates), never a statement inside one.
 */
@NullMarked
package dev.calleval.database;

import org.jspecify.annotations.NullMarked;
