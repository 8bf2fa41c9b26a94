/**
 * Secrets from files: {@code BLUEJAY_API_KEY_FILE} and the other {@code *_FILE} variables of
 * {@link dev.calleval.secrets.SecretFilesEnvironmentPostProcessor}, the way Docker and Kubernetes mount secrets.
 */
@NullMarked
package dev.calleval.secrets;

import org.jspecify.annotations.NullMarked;
