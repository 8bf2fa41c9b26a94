package dev.calleval.enrich;

import java.util.Iterator;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * The enrich step's reader: hands on the logs of a {@link SimulationLogSource} one at a time, in the source's
 * order. The number read is saved in the step's execution context under {@code enrich.logs.read}, for the record
 * only: a restarted run reads the listing again from the top, so that logs left FAILED before the restart point
 * are posted again, while the ledger keeps every result from being posted twice.
 */
final class SimulationLogItemReader implements ItemStreamReader<SimulationLog> {
    static final String READ_KEY = "enrich.logs.read";

    private final SimulationLogSource source;
    private @Nullable Stream<SimulationLog> stream;
    private @Nullable Iterator<SimulationLog> logs;
    private long read;

    public SimulationLogItemReader(SimulationLogSource source) {
        this.source = source;
    }

    @Override
    public void open(ExecutionContext context) {
        stream = source.logs();
        logs = stream.iterator();
        read = 0;
    }

    @Override
    public @Nullable SimulationLog read() {
        if (logs == null) {
            throw new ItemStreamException("reader for " + source.location() + " is not open");
        }
        if (!logs.hasNext()) {
            return null;
        }
        read++;
        return logs.next();
    }

    @Override
    public void update(ExecutionContext context) {
        context.putLong(READ_KEY, read);
    }

    @Override
    public void close() {
        if (stream != null) {
            stream.close();
            stream = null;
            logs = null;
        }
    }
}
