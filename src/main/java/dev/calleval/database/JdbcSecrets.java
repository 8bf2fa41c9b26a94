package dev.calleval.database;

/**
 * Masks the secrets a JDBC URL, or a driver's message that quotes one, may hold: the value of any
 * {@code password=}, {@code passwd=}, {@code pwd=} or {@code secret...=} parameter and the password of
 * {@code //user:password@host}, each replaced by {@code ****}. For every line that shows a database URL or a driver's
 * message to an operator (start-up failures, outage warnings, the one line of a failed command).
 */
public final class JdbcSecrets {
    private JdbcSecrets() {}

    /** {@code text} with every password or secret parameter value and URL password replaced by {@code ****}. */
    public static String masked(String text) {
        return text.replaceAll("(?i)((?:password|passwd|pwd|secret)[^=;&\\s]*=)[^;&\\s]*", "$1****")
                .replaceAll("//([^:/@\\s]+):[^@/\\s]*@", "//$1:****@");
    }
}
