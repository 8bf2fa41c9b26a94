/**
 * The ledger, calleval's source of truth: one row per input call and Bluejay endpoint (unique per
 * endpoint, agent and source id: what the sandbox accepted is not done for the real API) with its
 * state, Bluejay call id, attempts, last error and result; which calls each job execution read; and the rows
 * each execution rejected. Every input row ends in exactly one state, so a run's counts add up to its input.
 */
@NullMarked
package dev.calleval.ledger;

import org.jspecify.annotations.NullMarked;
