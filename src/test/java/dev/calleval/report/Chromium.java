package dev.calleval.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's headless chromium, run as a process on a local file: {@code --dump-dom} (the DOM after load) with
 * {@code --screenshot}. Each call uses a fresh profile directory and turns off everything that would reach the
 * network. The binary is {@code -Dcalleval.chromium=PATH}, else {@code /usr/bin/chromium}; install it with
 * {@code scripts/chromium.sh}.
 */
final class Chromium {
    private static final long TIMEOUT_SECONDS = 120;

    private final Path binary;
    private final Path work;

    private Chromium(Path binary, Path work) {
        this.binary = binary;
        this.work = work;
    }

    /** The installed browser, or empty when there is none; {@code work} holds its profiles and logs. */
    static Optional<Chromium> find(Path work) {
        String configured = System.getProperty("calleval.chromium");
        for (String candidate : configured != null ? List.of(configured) : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            Path p = Path.of(candidate);
            if (Files.isExecutable(p)) {
                return Optional.of(new Chromium(p, work));
            }
        }
        return Optional.empty();
    }

    /**
     * Loads the page once, saves a PNG of its first {@code width × height} pixels, and returns its DOM serialised
     * after load ({@code --dump-dom} and {@code --screenshot} in one run).
     */
    String open(Path page, Path png, int width, int height) throws IOException, InterruptedException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.deleteIfExists(png);
        String dom = run(page, "--dump-dom", "--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height, "--hide-scrollbars");
        if (!Files.isRegularFile(png)) {
            throw new IllegalStateException("chromium wrote no screenshot to " + png);
        }
        return dom;
    }

    private String run(Path page, String... action) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(Files.createDirectories(work), "chromium-profile-");
        Path log = profile.resolveSibling(profile.getFileName() + ".log");
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile));
        command.addAll(List.of(action));
        command.add(page.toAbsolutePath().toUri().toString());
        Path out = profile.resolveSibling(profile.getFileName() + ".out");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(log.toFile()).start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("chromium did not finish within " + TIMEOUT_SECONDS + " s; its log: " + log);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("chromium exited with " + process.exitValue() + "; its log: " + log);
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
