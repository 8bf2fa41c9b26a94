package dev.calleval.cli;

import dev.calleval.sandbox.SandboxMain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code sandbox [flags]}: the Bluejay-compatible sandbox as a standalone server, for trying the commands by hand
 * and for benchmarks. Every flag is passed to {@link SandboxMain}; {@code sandbox --help} lists them.
 */
@Command(name = "sandbox", description = {"Runs the Bluejay-compatible sandbox standalone on 127.0.0.1 until killed; "
        + "prints its base URL. Point BLUEJAY_BASE_URL at it. 'sandbox --help' lists the flags (latency, faults, catalog)."})
class SandboxCommand implements Callable<Integer> {
    @Unmatched
    List<String> flags = new ArrayList<>();

    @Override
    public Integer call() {
        SandboxMain.main(flags.toArray(String[]::new));
        return ExitCodes.OK;
    }
}
