package dev.calleval;

import dev.calleval.cli.ErrorLines;
import dev.calleval.cli.StartupFailures;
import dev.calleval.job.JobDefinitions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * calleval's entry point: one Spring Boot application whose command line (picocli) picks what to do. Commands
 * that receive webhooks start the web server: {@code run} and {@code drop-folder} always; the API commands ({@code enrich},
 * {@code simulate-sms}, {@code end-conversations}) only with {@code --sandbox}, whose webhooks come back to this
 * process (without it they open no port, so they never clash with a process that holds it). The others never do.
 * {@code serve} also turns on the {@code serve} profile (its schedules, launch API and runtime).
 *
 * <p>A start that fails on configuration (port taken, database unreachable, invalid job file) prints one line and
 * exits 2, without Spring's report or stack trace.
 */
@SpringBootApplication
public class CallevalApplication {
    private static final Set<String> WEB_COMMANDS = Set.of("run", "serve", "drop-folder");
    private static final Set<String> WEB_WITH_SANDBOX = Set.of("enrich", "simulate-sms", "end-conversations");

    public static void main(String[] args) {
        int code;
        try {
            code = SpringApplication.exit(application(args).run(args));
        } catch (RuntimeException | Error e) {
            String url = System.getenv().getOrDefault("CALLEVAL_DB_URL", "jdbc:h2:file:./data/calleval");
            String line = StartupFailures.describe(e, url);
            if (line == null) {
                System.err.println("calleval: could not start: " + e);
                e.printStackTrace();
            } else {
                System.err.println("calleval: " + line);
                if (ErrorLines.debugRequested(args)) {
                    e.printStackTrace();
                }
            }
            code = StartupFailures.exitCode();
        }
        System.exit(code);
    }

    /** The application configured for {@code args} (web server only for commands that need one). */
    public static SpringApplication application(String... args) {
        SpringApplication app = new SpringApplication(CallevalApplication.class);
        String command = Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().orElse("");
        boolean web = WEB_COMMANDS.contains(command) || (WEB_WITH_SANDBOX.contains(command) && Arrays.asList(args).contains("--sandbox"));
        app.setWebApplicationType(web ? WebApplicationType.SERVLET : WebApplicationType.NONE);
        if (command.equals("serve")) {
            app.setAdditionalProfiles("serve");
        }
        if (ErrorLines.debugRequested(args)) {
            app.setAddCommandLineProperties(false); // not Spring Boot's own --debug (its condition report, SQL at DEBUG)
            app.addListeners(ErrorLines.debugLoggingListener());
        }
        app.setBannerMode(Banner.Mode.OFF);
        app.setLogStartupInfo(false);
        return app;
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    JobDefinitions jobDefinitions(@Value("${calleval.jobs-dir:jobs}") String jobsDirectory) {
        return new JobDefinitions(Path.of(jobsDirectory));
    }
}
