package dev.calleval.secrets;

/**
 * A secret that was to be read from a file ({@code X_FILE}) could not be: the file is unreadable, empty, or the
 * variable is set twice (as {@code X} and as {@code X_FILE}). The message is the one line an operator reads (it names
 * the variables and the path, never the secret); calleval exits 2.
 */
public final class SecretFileException extends RuntimeException {
    SecretFileException(String message) {
        super(message);
    }
}
