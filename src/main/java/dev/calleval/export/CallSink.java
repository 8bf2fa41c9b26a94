package dev.calleval.export;

/** Where exported calls are written, one at a time, in one format. Not thread-safe. */
interface CallSink {
    /**
     * Writes one call.
     *
     * @throws java.io.UncheckedIOException when the output fails
     */
    void write(ExportedCall call);

    /**
     * Flushes what is buffered; does not close the output.
     *
     * @throws java.io.UncheckedIOException when the output fails
     */
    void finish();
}
