/**
 * The command line ({@code java -jar calleval.jar COMMAND}), built with picocli on top of the Spring context:
 * {@code run}, {@code validate}, {@code status}, {@code reconcile}, {@code serve}, {@code enrich}, the simulation commands
 * and {@code sandbox}. Exit codes: 0 success, 1 the run failed (or validation found
 * invalid rows, or an enrich run left logs rejected, failed or in doubt), 2 bad usage or configuration.
 */
@NullMarked
package dev.calleval.cli;

import org.jspecify.annotations.NullMarked;
