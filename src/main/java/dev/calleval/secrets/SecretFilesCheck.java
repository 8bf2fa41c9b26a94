package dev.calleval.secrets;

import org.springframework.core.env.Environment;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * Looks up every secret of {@link SecretFilesEnvironmentPostProcessor#SECRETS} once while the context starts, so that
 * a {@code *_FILE} that cannot be read stops every command at start (one line, exit 2), not only the commands that use
 * that secret: a broken secret mount is found by the first command run, whichever it is.
 */
@Component
@Lazy(false) // checked at every start, also by the commands whose other beans are created lazily
class SecretFilesCheck {
    SecretFilesCheck(Environment environment) {
        for (String name : SecretFilesEnvironmentPostProcessor.SECRETS) {
            environment.getProperty(name); // throws SecretFileException for a file that could not be read
        }
    }
}
