package dev.calleval.manifest;

import java.io.IOException;
import java.io.PushbackReader;
import java.io.Reader;

/** Small helpers shared by the CSV readers (call manifests, simulation-log manifests). */
public final class CsvFiles {
    private CsvFiles() {}

    /** {@code reader} without a leading UTF-8 byte order mark, which spreadsheet exports often write. */
    public static Reader skipBom(Reader reader) throws IOException {
        PushbackReader pushback = new PushbackReader(reader, 1);
        int first = pushback.read();
        if (first != -1 && first != '\uFEFF') {
            pushback.unread(first);
        }
        return pushback;
    }

    /** The message of the innermost cause (Commons CSV wraps the useful one), or its class name when it has none. */
    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
