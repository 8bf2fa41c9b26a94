package dev.calleval.cli;

import dev.calleval.job.JobAlreadyRunningException;
import dev.calleval.job.JobFileException;
import dev.calleval.manifest.ManifestException;
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
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof JobAlreadyRunningException) {
                cmd.getErr().println("calleval: " + e.getMessage());
                return ExitCodes.ALREADY_RUNNING;
            }
            if (e instanceof JobFileException || e instanceof ManifestException || e instanceof IllegalArgumentException) {
                cmd.getErr().println("calleval: " + e.getMessage());
                return ExitCodes.USAGE;
            }
            cmd.getErr().println("calleval: " + e);
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
