package dev.calleval.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.calleval.execution.ExecutionLiveness.ProcessIdentity;
import org.junit.jupiter.api.Test;

/** Telling a live process from a dead one whose PID another process reuses, by its start time. */
class ProcessIdentityTests {

    @Test
    void startTimesReadByTwoJvmsASecondApartAreOneProcess() {
        // each JVM reads the boot time once; a slewed clock moves it by a second between two JVMs
        assertThat(ProcessIdentity.sameStart("2026-12-06T18:43:20.130Z", "2026-12-06T18:43:21.130Z")).isTrue();
        assertThat(ProcessIdentity.sameStart("2026-12-06T18:43:20.130Z", "2026-12-06T18:43:20.130Z")).isTrue();
        assertThat(ProcessIdentity.sameStart("?", "2026-12-06T18:43:20.130Z")).as("not recorded").isTrue();
    }

    @Test
    void aProcessThatStartedLaterIsAnotherOne() {
        assertThat(ProcessIdentity.sameStart("2026-12-06T18:43:20.130Z", "2026-12-06T18:43:25.130Z")).isFalse();
        assertThat(ProcessIdentity.sameStart("2026-12-06T18:43:20.130Z", "?")).as("cannot be read now").isFalse();
        assertThat(ProcessIdentity.sameStart("2026-12-06T18:43:20.130Z", "garbage")).isFalse();
    }

    @Test
    void thisProcessExistsUnderItsOwnKey() {
        ProcessIdentity self = ProcessIdentity.current();
        assertThat(ProcessIdentity.exists(self.pid(), self.key())).isTrue();
        assertThat(ProcessIdentity.exists(self.pid(), self.host() + "|" + self.namespace() + "|" + self.pid() + "|2001-01-01T00:00:00Z"))
                .as("the same PID with another start time: a reused PID").isFalse();
    }
}
