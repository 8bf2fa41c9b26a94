package dev.calleval.cli;

import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * calleval's command line (picocli), in two passes.
 *
 * <ol>
 *   <li>Before Spring starts: the arguments are parsed against the commands' model alone (the command objects are
 *       made without their collaborators, which parsing never touches). {@link #answerWithoutContext} answers
 *       {@code --help}, {@code --version}, a usage error and a command group without its subcommand right there, in a
 *       fraction of a second; {@link #needs} tells the application what to start for the command (the web server only
 *       for a command that receives webhooks, the {@code serve} profile for {@code serve}).</li>
 *   <li>Once the application context is ready (after {@code SpringApplication.run} returned, so that the application
 *       counts as started and ready while a long command such as {@code serve} runs): {@link #execute} runs the
 *       command, its objects created by the context with constructor injection.</li>
 * </ol>
 *
 * <p>Thread safety: stateless; each call builds its own {@code CommandLine}.
 */
public final class CliRunner {
    /** Creates command objects for parsing only: collaborators null, options at their initial values. */
    private static final CommandLine.IFactory MODEL_ONLY = new CommandLine.IFactory() {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                return CommandLine.defaultFactory().create(cls);
            } catch (Exception noDefaultConstructor) {
                Constructor<?> constructor = cls.getDeclaredConstructors()[0];
                constructor.setAccessible(true);
                Object[] arguments = new Object[constructor.getParameterCount()];
                Class<?>[] types = constructor.getParameterTypes();
                for (int i = 0; i < types.length; i++) {
                    arguments[i] = types[i] == boolean.class ? false : types[i].isPrimitive() ? (Object) 0 : null;
                }
                return cls.cast(constructor.newInstance(arguments));
            }
        }
    };

    private CliRunner() {}

    /**
     * What the application must start for a command line.
     *
     * @param webServer the web server (on {@code SERVER_PORT}): the webhook receiver, and the actuator endpoints
     * @param serveProfile the {@code serve} profile: serve's runtime, launch API and readiness
     */
    public record Needs(boolean webServer, boolean serveProfile) {}

    /**
     * Parses {@code args} without Spring and answers them when they need no application: {@code --help} or
     * {@code --version} on any command (printed on stdout, 0), a usage error (the error and the usage on stderr, 2), or
     * a command group without its subcommand (the usage on stderr, 2).
     *
     * @return the exit code when answered; null when the command must run in the application ({@link #execute})
     */
    public static @Nullable Integer answerWithoutContext(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new CallevalCommand(), MODEL_ONLY);
        commandLine.setOut(out);
        commandLine.setErr(err);
        ParseResult parsed;
        try {
            parsed = commandLine.parseArgs(args);
        } catch (ParameterException e) {
            try {
                return commandLine.getParameterExceptionHandler().handleParseException(e, args);
            } catch (Exception unexpected) {
                return null; // let the full run report it
            } finally {
                err.flush();
            }
        }
        Integer help = CommandLine.executeHelpRequest(parsed);
        if (help != null) {
            out.flush();
            return help;
        }
        CommandLine leaf = leaf(parsed).commandSpec().commandLine();
        if (!leaf.getSubcommands().isEmpty()) {
            leaf.usage(err);
            err.flush();
            return ExitCodes.USAGE;
        }
        return null;
    }

    /**
     * What the command of {@code args} needs started: {@code serve} the web server and its profile; a command that
     * receives webhooks with the options given ({@link ReceivesWebhooks}) the web server; every other command, and
     * arguments that do not parse, nothing.
     */
    public static Needs needs(String... args) {
        ParseResult parsed = parseModelOnly(args);
        if (parsed == null) {
            return new Needs(false, false);
        }
        Object command = leaf(parsed).commandSpec().userObject();
        if (command instanceof ServeCommand) {
            return new Needs(true, true);
        }
        return new Needs(command instanceof ReceivesWebhooks receiver && receiver.receivesWebhooks(), false);
    }

    /**
     * Runs the command line in the application: the commands are created by {@code context} (constructor injection).
     * An expected failure (invalid job file or manifest, the job already running) is one line on stderr.
     *
     * @return the process exit code ({@link ExitCodes})
     */
    public static int execute(ApplicationContext context, String... args) {
        java.util.Set<Class<?>> chosen = chosenCommands(args);
        CommandLine commandLine = new CommandLine(new CallevalCommand(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                if (cls.isAnnotationPresent(CommandLine.Command.class) && !chosen.contains(cls)) {
                    // a command not run: its model only, so that its collaborators (and their failures) are not created
                    return MODEL_ONLY.create(cls);
                }
                if (chosen.contains(cls)) {
                    // the command run (and its parents): a failure to create it is its cause, told by StartupFailures
                    return context.getAutowireCapableBeanFactory().createBean(cls);
                }
                try {
                    return context.getAutowireCapableBeanFactory().createBean(cls);
                } catch (Exception e) {
                    return CommandLine.defaultFactory().create(cls); // converters, version provider: no collaborators
                }
            }
        });
        boolean debug = ErrorLines.debugRequested(args);
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            java.util.Optional<ErrorLines.Line> line = ErrorLines.describe(e);
            if (line.isPresent()) { // an expected failure: one line (the stack trace only with --debug)
                cmd.getErr().println("calleval: " + line.get().message());
                if (debug) {
                    e.printStackTrace(cmd.getErr());
                }
                return line.get().exitCode();
            }
            // a lazily created bean that could not start (the database went away since the start): one line, as at start
            String startup = StartupFailures.describe(e, context.getEnvironment().getProperty("spring.datasource.url", ""));
            if (startup != null) {
                cmd.getErr().println("calleval: " + startup);
                if (debug) {
                    e.printStackTrace(cmd.getErr());
                }
                return StartupFailures.exitCode();
            }
            cmd.getErr().println("calleval: unexpected error, a bug (please report it with what follows): " + e);
            e.printStackTrace(cmd.getErr());
            return ExitCodes.FAILED;
        });
        commandLine.setExitCodeExceptionMapper(e -> ExitCodes.USAGE);
        return commandLine.execute(args);
    }

    /** The classes of the command {@code args} run and of its parent commands (none when they do not parse). */
    private static java.util.Set<Class<?>> chosenCommands(String... args) {
        java.util.Set<Class<?>> chosen = new java.util.HashSet<>();
        for (ParseResult p = parseModelOnly(args); p != null; p = p.subcommand()) {
            chosen.add(p.commandSpec().userObject().getClass());
        }
        return chosen;
    }

    /** {@code args} parsed against the commands' model alone; null when they do not parse (the run of the command line reports it). */
    private static @Nullable ParseResult parseModelOnly(String... args) {
        try {
            return new CommandLine(new CallevalCommand(), MODEL_ONLY).parseArgs(args);
        } catch (ParameterException e) {
            return null;
        }
    }

    /** The innermost command chosen: {@code run} in {@code calleval run sample}, {@code poll-once} in {@code drop-folder poll-once}. */
    private static ParseResult leaf(ParseResult parsed) {
        ParseResult leaf = parsed;
        while (leaf.subcommand() != null) {
            leaf = leaf.subcommand();
        }
        return leaf;
    }
}
