package dev.calleval.serve;

import dev.calleval.CallevalApplication;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code calleval serve ARGS} started in this JVM as the command line starts it, on its own thread, returned once serve
 * runs (its schedules, reconciliation and launch API started); {@link #close()}
 * closes its context as SIGTERM does. Signal handling is off ({@code calleval.serve.handle-signals=false}) and the web
 * server takes a free port ({@link #port()}).
 */
public final class ServeUnderTest implements AutoCloseable {
    private final ConfigurableApplicationContext context;
    private final CompletableFuture<Integer> exitCode;

    private ServeUnderTest(ConfigurableApplicationContext context, CompletableFuture<Integer> exitCode) {
        this.context = context;
        this.exitCode = exitCode;
    }

    /**
     * Starts serve and waits (up to 60 s) until its context has started.
     *
     * @param properties default properties (CALLEVAL_DB_URL, calleval.jobs-dir, ...); SERVER_PORT 0 unless given
     */
    public static ServeUnderTest start(Map<String, Object> properties, String... args) throws Exception {
        SpringApplication app = CallevalApplication.application(args);
        Map<String, Object> defaults = new HashMap<>(Map.of("SERVER_PORT", "0", "calleval.serve.handle-signals", "false"));
        defaults.putAll(properties);
        app.setDefaultProperties(defaults);
        CompletableFuture<ConfigurableApplicationContext> started = new CompletableFuture<>();
        app.addListeners((ApplicationListener<ApplicationStartedEvent>) e -> started.complete(e.getApplicationContext()));
        CompletableFuture<Integer> exitCode = new CompletableFuture<>();
        Thread serve = new Thread(() -> {
            try {
                exitCode.complete(CallevalApplication.run(app, args));
            } catch (Throwable e) {
                exitCode.completeExceptionally(e);
                started.completeExceptionally(e);
            }
        }, "serve-under-test");
        serve.start();
        ConfigurableApplicationContext context = started.get(60, TimeUnit.SECONDS);
        // the context starts before the serve command starts the runtime: a test closing it in between (a quick one)
        // would race serve's start; wait until serve runs (or its command ended)
        ServeRuntime runtime = context.getBeanProvider(ServeRuntime.class).getIfAvailable();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (runtime != null && !runtime.isRunning() && !exitCode.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return new ServeUnderTest(context, exitCode);
    }

    /** The web server's port. */
    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** Closes the context, as SIGTERM does: running executions stop after their chunk. */
    @Override
    public void close() {
        context.close();
    }

    /** serve's exit code, waiting up to 90 s for it to stop. */
    public int exitCode() throws Exception {
        return exitCode.get(90, TimeUnit.SECONDS);
    }
}
