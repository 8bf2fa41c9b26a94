package dev.calleval.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.calleval.bluejay.BluejayRateLimitSettings;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The account's rate limit ({@code calleval.bluejay.rate-limit.*}) is as strict as every setting, its list of accounts
 * included: the keys of a list of calleval's own records are known whatever the index.
 */
class RateLimitSettingsCheckTests {

    private static Set<String> keys() {
        Set<String> keys = new TreeSet<>();
        SettingsCheck.addKeys(keys, "calleval.bluejay.rate-limit", BluejayRateLimitSettings.class);
        return keys;
    }

    private static StandardEnvironment environment(Map<String, Object> properties, Map<String, Object> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().addLast(new MapPropertySource("systemProperties", properties));
        environment.getPropertySources().addLast(new SystemEnvironmentPropertySource("systemEnvironment", variables));
        return environment;
    }

    @Test
    void acceptsTheDefaultLimitAndAccountsByIndex() {
        assertThatCode(() -> SettingsCheck.check(environment(Map.of("calleval.bluejay.rate-limit.per-second", "20",
                "calleval.bluejay.rate-limit.accounts[0].base-url", "https://eu.example", "calleval.bluejay.rate-limit.accounts[0].per-second", "5",
                "calleval.bluejay.rate-limit.accounts[12].perSecond", "1"), Map.of("CALLEVAL_BLUEJAY_RATE_LIMIT_PER_SECOND", "10")), keys()))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesAMisspeltKeyInsideTheListOfAccounts() {
        assertThatThrownBy(() -> SettingsCheck.check(environment(Map.of("calleval.bluejay.rate-limit.accounts[0].base-ulr", "https://x"), Map.of()), keys()))
                .isInstanceOf(UnknownSettingException.class)
                .hasMessageStartingWith("unknown setting calleval.bluejay.rate-limit.accounts[0].base-ulr (system property): did you mean "
                        + "calleval.bluejay.rate-limit.accounts.base-url?");
        assertThatThrownBy(() -> SettingsCheck.check(environment(Map.of("calleval.bluejay.rate-limit.per-secnd", "20"), Map.of()), keys()))
                .hasMessageContaining("did you mean calleval.bluejay.rate-limit.per-second?");
    }
}
