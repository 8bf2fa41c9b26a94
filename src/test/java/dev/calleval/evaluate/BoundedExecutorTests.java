package dev.calleval.evaluate;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link BoundedExecutor}: the tasks it counts as active (the requests in flight, for the group commit). */
class BoundedExecutorTests {
    @Test
    void aTaskIsActiveFromItsHandOverUntilItHasFinished() throws Exception {
        BoundedExecutor executor = new BoundedExecutor("test", 4);
        CountDownLatch running = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        try {
            assertThat(executor.active()).isZero();
            for (int i = 0; i < 2; i++) {
                executor.execute(() -> {
                    running.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(executor.active()).isEqualTo(2);

            release.countDown();
            executor.awaitIdle();
            assertThat(executor.active()).isZero();
        } finally {
            release.countDown();
            executor.close();
        }
    }
}
