package dev.calleval.evaluate;

import java.io.OutputStream;
import java.io.PrintStream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where progress lines go: a live line redrawn on a terminal, or log lines. */
interface ProgressOutput {
    /** The step starts. */
    default void start() {}

    /** Shows the current progress. */
    void show(Progress progress);

    /** The step ended: the terminal line is cleared; the log gets a last line. */
    void finish(Progress progress);

    /** Shows nothing ({@code calleval.progress.mode=off}). */
    ProgressOutput NONE = new ProgressOutput() {
        @Override
        public void show(Progress progress) {}

        @Override
        public void finish(Progress progress) {}
    };

    /**
     * One line on a terminal (stderr), redrawn in place with a carriage return and padded over the previous one, then
     * cleared at the end, so the command's own output follows on a clean line. While the step runs, {@code System.err}
     * (where log lines go) and {@code System.out} are wrapped so that the line is cleared before anything else is
     * printed; the next redraw shows it again below.
     */
    final class Terminal implements ProgressOutput {
        private final PrintStream out;
        private int shown;
        private @Nullable PrintStream originalStdout;
        private @Nullable PrintStream originalStderr;

        Terminal(PrintStream out) {
            this.out = out;
        }

        @Override
        public synchronized void start() {
            originalStdout = System.out;
            originalStderr = System.err;
            System.setOut(clearingFirst(originalStdout));
            System.setErr(clearingFirst(originalStderr));
        }

        /** {@code stream}, with the line cleared before each write. */
        private PrintStream clearingFirst(PrintStream stream) {
            return new PrintStream(new OutputStream() {
                @Override
                public void write(int b) {
                    hide();
                    stream.write(b);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) {
                    hide();
                    stream.write(bytes, offset, length);
                }

                @Override
                public void flush() {
                    stream.flush();
                }
            }, true);
        }

        /** Clears the line, if shown. */
        private synchronized void hide() {
            if (shown > 0) {
                out.print("\r" + " ".repeat(shown) + "\r");
                out.flush();
                shown = 0;
            }
        }

        @Override
        public synchronized void show(Progress progress) {
            String line = progress.line();
            out.print("\r" + line + " ".repeat(Math.max(0, shown - line.length())));
            out.flush();
            shown = line.length();
        }

        @Override
        public synchronized void finish(Progress progress) {
            hide();
            if (originalStdout != null) {
                System.out.flush();
                System.setOut(originalStdout);
                originalStdout = null;
            }
            if (originalStderr != null) {
                System.err.flush();
                System.setErr(originalStderr);
                originalStderr = null;
            }
        }
    }

    /**
     * Log lines at INFO ({@code dev.calleval.monitoring.progress}), with the figures also as key-value pairs, which
     * structured (JSON) logs show as fields.
     */
    final class Log implements ProgressOutput {
        static final Logger log = LoggerFactory.getLogger("dev.calleval.monitoring.progress");

        @Override
        public void show(Progress progress) {
            write(progress.line(), progress);
        }

        @Override
        public void finish(Progress progress) {
            write(progress.line() + " (submit step ended)", progress);
        }

        private static void write(String message, Progress p) {
            log.atInfo().setMessage(message)
                    .addKeyValue("job", p.job())
                    .addKeyValue("rows_read", p.read())
                    .addKeyValue("submitted", p.submitted())
                    .addKeyValue("already_done", p.alreadyDone())
                    .addKeyValue("rejected", p.rejected())
                    .addKeyValue("failed", p.failed())
                    .addKeyValue("in_doubt", p.inDoubt())
                    .addKeyValue("left_out", p.leftOut())
                    .log();
        }
    }
}
