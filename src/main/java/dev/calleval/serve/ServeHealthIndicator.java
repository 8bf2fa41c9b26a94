package dev.calleval.serve;

import java.util.Locale;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The {@code serve} component of {@code /actuator/health} and of the readiness group (see
 * {@code application-serve.yaml}): UP once {@link ServeRuntime} has started the schedules, the reconciliation rounds
 * and the launch API; OUT_OF_SERVICE ({@code state}: {@code starting}) before, and ({@code state}: {@code stopping} or
 * {@code stopped}) from SIGTERM on. The application's own readiness state turns ACCEPTING_TRAFFIC as soon as the
 * context is ready, a moment before serve's command has started its runtime: this keeps readiness at 503 until then.
 */
@Component
@Profile("serve")
class ServeHealthIndicator implements HealthIndicator {
    private final ServeRuntime runtime;

    ServeHealthIndicator(ServeRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public Health health() {
        ServeRuntime.State state = runtime.state();
        Health.Builder health = state == ServeRuntime.State.RUNNING ? Health.up() : Health.outOfService();
        return health.withDetail("state", state.name().toLowerCase(Locale.ROOT)).build();
    }
}
