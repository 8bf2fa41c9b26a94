package dev.calleval.cli;

import dev.calleval.launch.FailureLines;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** {@link ErrorLines} for the job runner's log of a failed execution. */
@Component
class ErrorLinesBean implements FailureLines {
    @Override
    public Optional<String> describe(Throwable failure) {
        return ErrorLines.describe(failure).map(ErrorLines.Line::message);
    }
}
