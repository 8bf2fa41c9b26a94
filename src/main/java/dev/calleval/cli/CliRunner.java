package dev.calleval.cli;

import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;
import picocli.CommandLine;

/**
 * Runs the picocli command line once the Spring context is up; commands are Spring beans created by the
 * context (constructor injection). The exit code is handed to Spring Boot. Off with
 * {@code calleval.cli.enabled=false} (tests that only need the context).
 */
@Component
@ConditionalOnProperty(name = "calleval.cli.enabled", havingValue = "true", matchIfMissing = true)
class CliRunner implements CommandLineRunner, ExitCodeGenerator {
    private final ApplicationContext context;
    private int exitCode;

    CliRunner(ApplicationContext context) {
        this.context = context;
    }

    @Override
    public void run(String... args) {
        CommandLine commandLine = new CommandLine(new CallevalCommand(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                try {
                    return context.getAutowireCapableBeanFactory().createBean(cls);
                } catch (Exception e) {
                    return CommandLine.defaultFactory().create(cls);
                }
            }
        });
        boolean debug = ErrorLines.debugRequested(args);
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            java.util.Optional<ErrorLines.Line> line = ErrorLines.describe(e);
            if (line.isPresent()) { // an expected failure: one line (the stack trace only with --debug)
                cmd.getErr().println("calleval: " + line.get().message());
                if (debug) {
                    e.printStackTrace(cmd.getErr());
                }
                return line.get().exitCode();
            }
            cmd.getErr().println("calleval: unexpected error, a bug (please report it with what follows): " + e);
            e.printStackTrace(cmd.getErr());
            return ExitCodes.FAILED;
        });
        commandLine.setExitCodeExceptionMapper(e -> ExitCodes.USAGE);
        exitCode = commandLine.execute(args);
    }

    @Override
    public int getExitCode() {
        return exitCode;
    }
}
