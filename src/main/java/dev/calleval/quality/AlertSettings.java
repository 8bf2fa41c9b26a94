package dev.calleval.quality;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where and how a regression is told ({@code calleval.alerts.*}; docs/compare-and-alerts.md, "Alerts"). The URL is a
 * secret (a Slack incoming-webhook URL carries its token in the path): it is never logged, never shown in a message,
 * an exception or {@link #toString()}; it may come from a file ({@code CALLEVAL_ALERTS_URL_FILE}).
 *
 * @param url where the alert is POSTed, {@code http://} or {@code https://}; blank: no alert. Default blank
 *     ({@code CALLEVAL_ALERTS_URL}, {@code calleval.alerts.url})
 * @param format the body: {@code slack} (an incoming webhook's {@code {"text": ...}}) or {@code json} (a generic
 *     document: job, executions, regressions). Default json ({@code calleval.alerts.format})
 * @param timeout the most time an alert may take, every attempt and wait included; more than 0s, at most 2m.
 *     Default 10s ({@code calleval.alerts.timeout})
 * @param maxAttempts attempts in all (1 = no retry), 1-10; a 5xx, 429 or a connection failure is retried with
 *     exponential backoff from 500 ms. Default 3 ({@code calleval.alerts.max-attempts})
 */
@ConfigurationProperties("calleval.alerts")
public record AlertSettings(@DefaultValue("") String url, @DefaultValue("json") Format format, @DefaultValue("10s") Duration timeout,
        @DefaultValue("3") int maxAttempts) {

    /** The body an alert is sent as. */
    public enum Format { SLACK, JSON }

    /** @throws IllegalArgumentException naming the key (never the URL) when a value is out of range */
    public AlertSettings {
        if (!url.isBlank()) {
            URI uri;
            try {
                uri = URI.create(url.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("calleval.alerts.url is not a valid URL (its value is not shown: it is a secret)");
            }
            if (uri.getScheme() == null || !(uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))
                    || uri.getHost() == null) {
                throw new IllegalArgumentException("calleval.alerts.url must be an http:// or https:// URL with a host "
                        + "(its value is not shown: it is a secret)");
            }
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(2)) > 0) {
            throw new IllegalArgumentException("calleval.alerts.timeout must be more than 0s and at most 2m (e.g. 10s), was "
                    + dev.calleval.config.Durations.shown(timeout));
        }
        if (maxAttempts < 1 || maxAttempts > 10) {
            throw new IllegalArgumentException("calleval.alerts.max-attempts must be 1-10, was " + maxAttempts);
        }
    }

    /** True when a URL is set. */
    public boolean enabled() {
        return !url.isBlank();
    }

    @Override
    public String toString() {
        return "AlertSettings[url=" + (url.isBlank() ? "unset" : "****") + ", format=" + format + ", timeout="
                + dev.calleval.config.Durations.shown(timeout) + ", maxAttempts=" + maxAttempts + "]";
    }
}
