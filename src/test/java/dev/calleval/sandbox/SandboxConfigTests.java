package dev.calleval.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SandboxConfigTests {

    @Test
    void defaultCatalogHoldsTheDocumentedSimulations() {
        Map<String, SimulationSpec> catalog = SandboxConfig.defaults().simulations();

        assertThat(catalog).containsOnlyKeys("30425", "30426");
        SimulationSpec sms = catalog.get("30425");
        assertThat(sms.agentId()).isEqualTo(34);
        assertThat(sms.outbound()).isFalse();
        assertThat(sms.digitalHumans()).extracting(DigitalHumanSpec::id).containsExactly(456, 457);
        assertThat(sms.digitalHumans()).extracting(DigitalHumanSpec::goalSuccess).containsExactly(true, false);
        SimulationSpec outbound = catalog.get("30426");
        assertThat(outbound.outbound()).isTrue();
        assertThat(outbound.digitalHumans()).singleElement().satisfies(human -> {
            assertThat(human.id()).isEqualTo(458);
            assertThat(human.goalSuccess()).isTrue();
            assertThat(human.customMetrics()).isEmpty();
        });
    }

    @Test
    void earlierConstructorsKeepTheirMeaning() {
        SandboxConfig.Faults nine = new SandboxConfig.Faults(0, 0, List.of(), 1, 0.1, 0, 0, Duration.ZERO, 7);
        SandboxConfig seven = new SandboxConfig(0, null, null, null, Duration.ZERO, Duration.ZERO, nine);

        assertThat(nine.acceptThenFailRate()).isZero();
        assertThat(nine.acceptThenResetRate()).isZero();
        assertThat(nine.webhookReorderWindow()).isZero();
        assertThat(nine.endpoints()).containsExactlyInAnyOrderElementsOf(EnumSet.allOf(SandboxEndpoint.class));
        assertThat(seven.conversationDuration()).isNull();
        assertThat(seven.recordBodies()).isFalse();
        assertThat(seven.simulations()).isEqualTo(SandboxConfig.defaultSimulations());
        assertThat(SandboxConfig.Faults.none().appliesTo(SandboxEndpoint.RETRIEVE_CALL_LOG)).isTrue();
    }

    @Test
    void withHelpersChangeOnlyTheirComponent() {
        SandboxConfig base = SandboxConfig.defaults().withApiKey("k");
        SandboxConfig changed = base.withConversationDuration(Duration.ofSeconds(2)).withRecordBodies(true)
                .withSimulation("1", new SimulationSpec(5, false, List.of(new DigitalHumanSpec(1, "A", "+1", null))));

        assertThat(changed.conversationDuration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(changed.recordBodies()).isTrue();
        assertThat(changed.simulations()).containsKeys("30425", "30426", "1");
        assertThat(changed.apiKey()).isEqualTo("k");
        assertThat(base.simulations()).doesNotContainKey("1");
        SandboxConfig.Faults faults = SandboxConfig.Faults.none().withAcceptThenFailRate(0.5)
                .withEndpoints(SandboxEndpoint.EVALUATE).withSeed(3);
        assertThat(faults.acceptThenFailRate()).isEqualTo(0.5);
        assertThat(faults.appliesTo(SandboxEndpoint.EVALUATE)).isTrue();
        assertThat(faults.appliesTo(SandboxEndpoint.PING)).isFalse();
        assertThat(faults.seed()).isEqualTo(3);
        assertThat(changed.toString()).doesNotContain("k,").contains("conversationDuration=PT2S");
    }

    @Test
    void rejectsInvalidSettingsNamingTheProblem() {
        SandboxConfig config = SandboxConfig.defaults();
        SandboxConfig.Faults faults = SandboxConfig.Faults.none();

        assertThatThrownBy(() -> config.withConversationDuration(Duration.ofMillis(-1)))
                .hasMessageContaining("conversationDuration");
        assertThatThrownBy(() -> config.withSimulations(Map.of("sim-1", SandboxConfig.defaultSimulations()
                .get("30425")))).hasMessageContaining("positive decimal integers");
        assertThatThrownBy(() -> faults.withAcceptThenFailRate(1.5)).hasMessageContaining("acceptThenFailRate");
        assertThatThrownBy(() -> faults.withAcceptThenResetRate(-0.1)).hasMessageContaining("acceptThenResetRate");
        assertThatThrownBy(() -> faults.withWebhookReorderWindow(Duration.ofMillis(-1)))
                .hasMessageContaining("webhookReorderWindow");
        assertThatThrownBy(() -> new SimulationSpec(34, false, List.of()))
                .hasMessageContaining("at least one digital human");
        assertThatThrownBy(() -> new SimulationSpec(34, false, List.of(new DigitalHumanSpec(1, "A", "+1", true),
                new DigitalHumanSpec(1, "B", "+2", false)))).hasMessageContaining("appears twice");
        assertThatThrownBy(() -> new DigitalHumanSpec(0, "A", "+1", true)).hasMessageContaining("positive");
        assertThatThrownBy(() -> new DigitalHumanSpec(1, " ", "+1", true)).hasMessageContaining("name");
    }
}
