package dev.calleval.cli;

import picocli.CommandLine.Command;

/** The top-level command; see the subcommands. */
@Command(name = "calleval", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Gets recorded agent calls evaluated by Bluejay, and proves every call was.",
        subcommands = {RunCommand.class, ValidateCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:completed", "1:the run failed, or validate found invalid rows", "2:bad usage or configuration"})
class CallevalCommand {
}
