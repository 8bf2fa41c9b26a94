package dev.calleval.cli;

import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top-level command; see the subcommands. */
@Command(name = "calleval", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Gets recorded agent calls evaluated by Bluejay, and proves every call was.",
        subcommands = {RunCommand.class, ValidateCommand.class, StatusCommand.class, ReportCommand.class, ReconcileCommand.class,
                ServeCommand.class, EnrichCommand.class, SimulateSmsCommand.class, EndConversationsCommand.class, SandboxCommand.class,
                DropFolderCommand.class, ReevaluateCommand.class, ExportCommand.class, CompareCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:completed (enrich: every log posted)", "1:the run failed, or compare found a regression, or validate found invalid rows, or enrich left logs rejected, failed or in doubt, or reconcile could not poll some calls",
                "2:bad usage or configuration (also at start: an invalid job file, the port taken, the database unreachable)",
                "3:report, export, compare: no such job execution (export --job: no call of the job)",
                "4:run/enrich not started: the same job over the same source is already running"})
class CallevalCommand implements Callable<Integer> {
    /** The global option that shows stack traces and turns calleval's logging to DEBUG ({@link ErrorLines#debugRequested}). */
    static final String DEBUG = ErrorLines.DEBUG;

    @Spec
    @Nullable CommandSpec spec;

    @Option(names = DEBUG, scope = ScopeType.INHERIT,
            description = "print the stack trace of a failure and log calleval's DEBUG lines (for reporting a problem)")
    boolean debug;

    /** Without a command: print the usage and fail as bad usage. */
    @Override
    public Integer call() {
        if (spec != null) {
            spec.commandLine().usage(spec.commandLine().getErr());
        }
        return ExitCodes.USAGE;
    }
}
