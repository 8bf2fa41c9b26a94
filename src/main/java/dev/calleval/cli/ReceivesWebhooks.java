package dev.calleval.cli;

/**
 * A command that, with some of its options, waits for webhooks sent to this process, so that the application must start
 * its web server (the receiver {@code POST /webhooks/bluejay} on {@code SERVER_PORT}). Asked before Spring starts, on
 * the parsed options alone ({@link CliRunner#needs}); a command that does not implement it never opens a port.
 */
interface ReceivesWebhooks {
    /** Whether, with the options parsed, this command waits for webhooks sent to this process. */
    boolean receivesWebhooks();
}
