package dev.calleval;

import dev.calleval.cli.CliRunner;
import dev.calleval.cli.ErrorLines;
import dev.calleval.cli.StartupFailures;
import dev.calleval.config.CallevalSettings;
import dev.calleval.jobfile.JobDefinitions;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.springframework.boot.Banner;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * calleval's entry point: one Spring Boot application whose command line (picocli) picks what to do, started with no
 * more than the command needs.
 *
 * <ul>
 *   <li>{@code --help}, {@code --version} and usage errors are answered before Spring starts (well under a second).</li>
 *   <li>The web server (webhook receiver and actuator, on {@code SERVER_PORT}) starts only for a command that receives
 *       webhooks: {@code serve}; {@code run} and {@code drop-folder poll-once} while they wait for results
 *       ({@code --wait-for-results} over 0, or {@code --sandbox}); the API commands ({@code enrich},
 *       {@code simulate-sms}, {@code end-conversations}) with {@code --sandbox}, whose webhooks come back to this
 *       process. Every other command line opens no port, so it never clashes with a {@code serve} on the same host.</li>
 *   <li>Without a web server the beans are created lazily, when the command first uses them (a {@code status} does not
 *       build the job machinery).</li>
 *   <li>{@code serve} also turns on the {@code serve} profile (its schedules, launch API, runtime and readiness).</li>
 * </ul>
 *
 * <p>The command runs after {@link SpringApplication#run} has returned: the application is then started and ready
 * (liveness CORRECT, readiness ACCEPTING_TRAFFIC), which it never became while a long command ran inside a
 * {@code CommandLineRunner}. A start that fails on configuration (port taken, database unreachable, invalid job file)
 * prints one line and exits 2, without Spring's report or stack trace; so does an unknown or invalid {@code calleval.*}
 * setting (dev.calleval.config).
 */
@SpringBootApplication
@ConfigurationPropertiesScan // the settings records (calleval.*), each in the package it configures; dev.calleval.config
public class CallevalApplication {

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        Integer answered = CliRunner.answerWithoutContext(out, err, args);
        if (answered != null) {
            System.exit(answered);
        }
        int code;
        try {
            code = run(application(args), args);
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

    /**
     * Starts {@code application}, runs the command line {@code args} in it once it is ready, and closes it.
     *
     * @return the command's exit code
     * @throws RuntimeException when the application does not start (see {@link StartupFailures})
     */
    public static int run(SpringApplication application, String... args) {
        ConfigurableApplicationContext context = application.run(args);
        try {
            return CliRunner.execute(context, args);
        } finally {
            context.close();
        }
    }

    /** The application configured for {@code args}: web server, lazy initialisation and profile as the command needs. */
    public static SpringApplication application(String... args) {
        SpringApplication app = new SpringApplication(CallevalApplication.class);
        CliRunner.Needs needs = CliRunner.needs(args);
        app.setWebApplicationType(needs.webServer() ? WebApplicationType.SERVLET : WebApplicationType.NONE);
        app.setLazyInitialization(!needs.webServer());
        if (needs.serveProfile()) {
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

    /**
     * The state store is opened and migrated at start even when the other beans are lazy, so that a database that cannot
     * be reached fails the start in one line (exit 2) instead of the command midway.
     */
    @Bean
    static LazyInitializationExcludeFilter eagerDatabaseMigration() {
        return LazyInitializationExcludeFilter.forBeanTypes(FlywayMigrationInitializer.class);
    }

    /**
     * Every settings record ({@code @ConfigurationProperties}) is bound and validated at every start, also by the
     * commands whose other beans are created lazily: a bad value stops any command in one line (exit 2), not only the
     * commands that happen to use it.
     */
    @Bean
    static LazyInitializationExcludeFilter eagerSettings() {
        return (name, definition, type) -> type != null && AnnotatedElementUtils.hasAnnotation(type, ConfigurationProperties.class);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    JobDefinitions jobDefinitions(CallevalSettings settings) {
        return new JobDefinitions(settings.jobsDir());
    }
}
