package dev.calleval.launch;

import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.springframework.core.task.TaskExecutor;

/**
 * The task executor of the process's one {@code JobOperator}: it runs a job execution on the executor the launch in
 * progress on this thread named ({@link #on}: {@code serve}'s bounded pool), else in the calling thread (a run to its
 * end: {@code calleval run}, a drop-folder manifest). Thread-safe.
 */
final class LaunchExecutor implements TaskExecutor {
    private final ThreadLocal<@Nullable Executor> current = new ThreadLocal<>();

    @Override
    public void execute(Runnable task) {
        Executor executor = current.get();
        if (executor == null) {
            task.run();
        } else {
            executor.execute(task);
        }
    }

    /** Runs {@code launch} with the executions it starts on this thread going to {@code executor}. */
    <T> T on(Executor executor, Callable<T> launch) throws Exception {
        current.set(executor);
        try {
            return launch.call();
        } finally {
            current.remove();
        }
    }
}
