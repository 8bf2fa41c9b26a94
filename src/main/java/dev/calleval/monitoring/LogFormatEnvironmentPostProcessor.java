package dev.calleval.monitoring;

import java.util.Locale;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code CALLEVAL_LOG_FORMAT} (or the property {@code calleval.log-format}): how calleval's log lines are written on
 * the console. {@code text} (default): {@code 12:00:01.234 INFO  Submitter - ...}; {@code json} or {@code ecs}: one JSON
 * object per line in Elastic Common Schema; {@code logstash} and {@code gelf}: those JSON shapes. Sets Spring Boot's
 * {@code logging.structured.format.console} before logging starts. An unknown value is reported on stderr and plain
 * text is kept (a typo never stops a run).
 */
public class LogFormatEnvironmentPostProcessor implements EnvironmentPostProcessor {
    private static final Map<String, String> FORMATS = Map.of("json", "ecs", "ecs", "ecs", "logstash", "logstash", "gelf", "gelf");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String value = environment.getProperty("CALLEVAL_LOG_FORMAT", environment.getProperty("calleval.log-format", ""));
        String format = value.strip().toLowerCase(Locale.ROOT);
        if (format.isEmpty() || format.equals("text")) {
            return;
        }
        String structured = FORMATS.get(format);
        if (structured == null) {
            System.err.println("calleval: CALLEVAL_LOG_FORMAT must be text, json, ecs, logstash or gelf, got \"" + value + "\": logging as text");
            return;
        }
        environment.getPropertySources().addFirst(new MapPropertySource("calleval-log-format",
                Map.of("logging.structured.format.console", structured)));
    }
}
