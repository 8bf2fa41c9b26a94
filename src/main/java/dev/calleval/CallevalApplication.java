package dev.calleval;

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
import org.springframework.context.annotation.Bean;

/**
 * calleval's entry point: one Spring Boot application whose command line (picocli) picks what to do. Commands
 * that receive webhooks ({@code run}, {@code serve}, and the API commands, whose {@code --sandbox} sends webhooks back) start
 * the web server; the others do not.
 */
@SpringBootApplication
public class CallevalApplication {
    private static final Set<String> WEB_COMMANDS = Set.of("run", "serve", "enrich", "simulate-sms", "end-conversations");

    public static void main(String[] args) {
        System.exit(SpringApplication.exit(application(args).run(args)));
    }

    /** The application configured for {@code args} (web server only for commands that need one). */
    public static SpringApplication application(String... args) {
        SpringApplication app = new SpringApplication(CallevalApplication.class);
        String command = Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().orElse("");
        app.setWebApplicationType(WEB_COMMANDS.contains(command) ? WebApplicationType.SERVLET : WebApplicationType.NONE);
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
