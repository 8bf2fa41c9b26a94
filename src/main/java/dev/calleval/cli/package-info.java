/**
 * The command line ({@code java -jar calleval.jar COMMAND}), built with picocli on top of the Spring context:
 * {@code run} and {@code validate}. Exit codes: 0 success, 1 the run failed (or validation found invalid rows),
 * 2 bad usage or configuration.
 */
@NullMarked
package dev.calleval.cli;

import org.jspecify.annotations.NullMarked;
