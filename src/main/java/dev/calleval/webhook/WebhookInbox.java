package dev.calleval.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The durable webhook inbox ({@code webhook_event}). Events are stored as received (raw body) with a
 * deduplication key; a redelivery with the same key is recognised and not stored again, whichever process (serve
 * replica, a run waiting for results) receives it: the unique key {@code webhook_event_dedupe_uk} decides.
 *
 * <p>Each stored event is applied once across processes sharing the database: {@link #process} takes it, applies it and
 * records its outcome in one transaction, and a process that reads the same event at the same moment finds it taken.
 * Thread-safe.
 */
@Repository
public class WebhookInbox {
    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;
    private final TransactionTemplate transaction;

    public WebhookInbox(NamedParameterJdbcTemplate jdbc, Clock clock, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.transaction = new TransactionTemplate(transactionManager);
    }

    /** An event stored in the inbox and not yet reconciled. */
    public record StoredEvent(long id, String type, @Nullable String callId, @Nullable String sourceId, String body) {}

    /**
     * Stores an event unless one with the same {@code dedupeKey} is there already.
     *
     * @return true when stored, false for a duplicate
     */
    public boolean store(String dedupeKey, String type, @Nullable String deliveryId, @Nullable String subjectId, @Nullable String callId,
            @Nullable String sourceId, @Nullable String status, byte[] body) {
        try {
            jdbc.update("""
                    INSERT INTO webhook_event (dedupe_key, event_type, delivery_id, subject_id, call_id, source_id, status, body, received_at)
                    VALUES (:key, :type, :delivery, :subject, :call, :source, :status, :body, :now)""",
                    new MapSqlParameterSource("key", dedupeKey)
                            .addValue("type", type)
                            .addValue("subject", subjectId)
                            .addValue("delivery", deliveryId)
                            .addValue("call", callId)
                            .addValue("source", sourceId)
                            .addValue("status", status)
                            .addValue("body", new String(body, StandardCharsets.UTF_8))
                            .addValue("now", OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC)));
            return true;
        } catch (DuplicateKeyException duplicate) {
            return false;
        }
    }

    /** Events of {@code type} not yet reconciled (including orphans, which are retried), oldest first. */
    public List<StoredEvent> unprocessed(String type, int limit) {
        return unprocessed(type, -1, limit);
    }

    /**
     * One page of {@link #unprocessed(String, int)}: events with an id above {@code afterId}. Paging by id keeps each
     * page's cost independent of the backlog (the orphans a pass leaves behind are not read again in that pass). The
     * ORDER BY names the columns of index {@code webhook_event_pending_ix} (processed_at and event_type are fixed by the
     * WHERE, so it is id order): H2 then reads the page off the index instead of sorting the whole backlog.
     */
    public List<StoredEvent> unprocessed(String type, long afterId, int limit) {
        return jdbc.query("""
                SELECT id, event_type, call_id, source_id, body FROM webhook_event
                WHERE id > :after AND processed_at IS NULL AND event_type = :type
                ORDER BY processed_at, event_type, id FETCH FIRST :limit ROWS ONLY""",
                Map.of("type", type, "limit", limit, "after", afterId),
                (rs, n) -> new StoredEvent(rs.getLong("id"), rs.getString("event_type"), rs.getString("call_id"),
                        rs.getString("source_id"), rs.getString("body")));
    }

    /**
     * Applies one event read by {@link #unprocessed} unless another process (or thread) has processed it since: in one
     * transaction (joining the caller's, if any), takes the event with a conditional update (only while it is
     * unprocessed; a process taking it at the same moment waits for this transaction and then finds it processed),
     * runs {@code handler}, and records the outcome the handler returns ({@link #markOutcome}). The handler's changes
     * (ledger, simulation tables) commit together with the outcome, or not at all: an exception from the handler rolls
     * both back and leaves the event unprocessed for a later pass.
     *
     * <p>So each event is applied once however many serve replicas read the inbox. An {@code ORPHAN} outcome leaves the
     * event unprocessed, to be taken again by a later pass (by any process).
     *
     * @param handler applies the event and returns its outcome ({@code MATCHED}, {@code ORPHAN}, ...)
     * @return the outcome, or empty when the event had already been processed by another pass
     */
    public Optional<String> process(StoredEvent event, Function<StoredEvent, String> handler) {
        return Optional.ofNullable(transaction.execute(tx -> {
            int taken = jdbc.update("UPDATE webhook_event SET processed_at = :now WHERE id = :id AND processed_at IS NULL",
                    new MapSqlParameterSource("id", event.id()).addValue("now", OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC)));
            if (taken == 0) {
                return null;
            }
            String outcome = handler.apply(event);
            markOutcome(event.id(), outcome);
            return outcome;
        }));
    }

    /**
     * Records what reconciliation did with an event. {@code ORPHAN} leaves it unprocessed so it is matched once
     * its call's submission is recorded.
     */
    public void markOutcome(long id, String outcome) {
        jdbc.update("UPDATE webhook_event SET outcome = :outcome, processed_at = CASE WHEN :outcome = 'ORPHAN' THEN NULL ELSE :now END WHERE id = :id",
                new MapSqlParameterSource("id", id).addValue("outcome", outcome)
                        .addValue("now", OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC)));
    }

    /**
     * Marks events of types this version does not know as seen ({@code outcome} UNKNOWN_TYPE): they stay stored and
     * are listed by {@code calleval status}, and nothing acts on them.
     *
     * @return how many were marked
     */
    public int settleUnknownTypes(Collection<String> knownTypes) {
        return jdbc.update("""
                UPDATE webhook_event SET outcome = 'UNKNOWN_TYPE', processed_at = :now
                WHERE processed_at IS NULL AND event_type NOT IN (:known)""",
                new MapSqlParameterSource("known", knownTypes).addValue("now", OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC)));
    }

    /** Per event type and outcome ({@code PENDING} when not yet processed): how many events the inbox holds. */
    public record TypeCount(String type, String outcome, long count) {}

    /** Counts of stored events by type and outcome, for {@code calleval status}. */
    public List<TypeCount> countsByType() {
        return jdbc.query("""
                SELECT event_type, COALESCE(outcome, 'PENDING') AS outcome, COUNT(*) AS n FROM webhook_event
                GROUP BY event_type, COALESCE(outcome, 'PENDING') ORDER BY event_type, outcome""",
                Map.of(), (rs, n) -> new TypeCount(rs.getString("event_type"), rs.getString("outcome"), rs.getLong("n")));
    }

    /** Number of stored events, for tests and status. */
    public long count() {
        Long n = jdbc.getJdbcOperations().queryForObject("SELECT COUNT(*) FROM webhook_event", Long.class);
        return n == null ? 0 : n;
    }
}
