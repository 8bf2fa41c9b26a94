/**
 * calleval's settings as a whole, around the feature packages' own {@code @ConfigurationProperties} records (each in
 * the package it configures, {@code @Validated}, every default written once, in the record's {@code @DefaultValue}):
 * <ul>
 *   <li>{@link dev.calleval.config.EnvironmentVariables}: the documented environment variables
 *       ({@code BLUEJAY_BASE_URL}, {@code CALLEVAL_DB_OUTAGE_TOLERANCE}, ...) as the {@code calleval.*} keys they set;</li>
 *   <li>{@link dev.calleval.config.SettingsCheck}: configuration is strict, a misspelt {@code calleval.*} key stops the
 *       start ({@link dev.calleval.config.UnknownSettingException}, one line, exit 2);</li>
 *   <li>{@link dev.calleval.config.SettingsFailureAnalyzer}: a value that cannot be converted or fails its constraint is
 *       one line naming the key and what is allowed;</li>
 *   <li>{@link dev.calleval.config.CallevalSettings}: the few settings of the application itself.</li>
 * </ul>
 * Imports nothing of the application: every feature package may depend on it.
 */
@NullMarked
package dev.calleval.config;

import org.jspecify.annotations.NullMarked;

