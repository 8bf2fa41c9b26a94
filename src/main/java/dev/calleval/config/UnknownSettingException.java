package dev.calleval.config;

/**
 * A {@code calleval.*} key that no setting has (a misspelling, or a key of another version): the message names it,
 * where it was set, and the key meant when one is close. The start stops (one line, exit 2: {@code cli/StartupFailures}).
 */
class UnknownSettingException extends RuntimeException {
    UnknownSettingException(String message) {
        super(message);
    }
}
