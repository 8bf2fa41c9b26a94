package dev.calleval.dropfolder;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code drop_folder_claim} table (migration V7): who processes which dropped manifest. Every write runs in
 * its own transaction ({@code REQUIRES_NEW}), so a claim is visible to other pollers as soon as it is made.
 */
@Component
public class DropFolderClaims {
    /** A claim's state; see the migration for what each means. */
    public enum State { CLAIMED, RUNNING, DONE, FAILED }

    /** One claim row; {@code inboxKey} and {@code etag} are the object as it was found in the inbox. */
    public record Claim(long id, String jobName, String bucket, String inboxKey, String etag, State state, String owner,
            int attempts, Instant updatedAt) {}

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public DropFolderClaims(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        tx.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * Inserts a CLAIMED row for the object; the unique key (bucket, inbox key, ETag) decides between pollers.
     *
     * @return the claim, or null when the object was already claimed (now or by an earlier poll)
     */
    public @Nullable Claim claim(String jobName, String bucket, String inboxKey, String etag, String owner) {
        Instant now = Instant.now();
        try {
            tx.executeWithoutResult(s -> jdbc.update("INSERT INTO drop_folder_claim (job_name, bucket, inbox_key, etag, state, owner, "
                    + "claimed_at, updated_at) VALUES (?, ?, ?, ?, 'CLAIMED', ?, ?, ?)", jobName, bucket, inboxKey, etag, owner,
                    Timestamp.from(now), Timestamp.from(now)));
        } catch (DuplicateKeyException e) {
            return null;
        }
        return find(bucket, inboxKey, etag);
    }

    /** The claim of that object, or null. */
    public @Nullable Claim find(String bucket, String inboxKey, String etag) {
        List<Claim> rows = jdbc.query("SELECT * FROM drop_folder_claim WHERE bucket = ? AND inbox_key = ? AND etag = ?",
                (rs, i) -> row(rs), bucket, inboxKey, etag);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** The job's claims still CLAIMED or RUNNING (by a live poller, or left behind by a dead one). */
    public List<Claim> unfinished(String jobName) {
        return jdbc.query("SELECT * FROM drop_folder_claim WHERE job_name = ? AND state IN ('CLAIMED', 'RUNNING') ORDER BY id",
                (rs, i) -> row(rs), jobName);
    }

    /**
     * Takes over an abandoned claim: succeeds only when nobody changed it since it was read (compare-and-set on
     * owner and {@code updated_at}), so of two pollers resuming it only one wins.
     *
     * @return the claim as now owned by {@code owner}, or null when another poller changed it first
     */
    public @Nullable Claim takeOver(Claim claim, String owner) {
        Instant now = Instant.now();
        Integer updated = tx.execute(s -> jdbc.update("UPDATE drop_folder_claim SET owner = ?, updated_at = ?, attempts = attempts + 1 "
                + "WHERE id = ? AND owner = ? AND updated_at = ? AND state IN ('CLAIMED', 'RUNNING')",
                owner, Timestamp.from(now), claim.id(), claim.owner(), Timestamp.from(claim.updatedAt())));
        return updated != null && updated == 1 ? find(claim.bucket(), claim.inboxKey(), claim.etag()) : null;
    }

    /** Records a new state; {@code outcomeKey} is where the object ended (done/ or failed/), {@code error} why it failed. */
    public void update(long id, State state, @Nullable String outcomeKey, @Nullable String error) {
        tx.executeWithoutResult(s -> jdbc.update("UPDATE drop_folder_claim SET state = ?, updated_at = ?, outcome_key = ?, error = ? WHERE id = ?",
                state.name(), Timestamp.from(Instant.now()), outcomeKey,
                error == null ? null : error.substring(0, Math.min(error.length(), 4000)), id));
    }

    /** True when the claim's owner cannot be running it any more: a dead process on this host, or no update for {@code timeout}. */
    public static boolean abandoned(Claim claim, Duration timeout, Instant now) {
        if (claim.updatedAt().plus(timeout).isBefore(now)) {
            return true;
        }
        Owner owner = Owner.parse(claim.owner());
        return owner != null && owner.host().equals(Owner.HOST)
                && ProcessHandle.of(owner.pid()).map(p -> !p.isAlive()).orElse(true);
    }

    private static Claim row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Claim(rs.getLong("id"), rs.getString("job_name"), rs.getString("bucket"), rs.getString("inbox_key"),
                rs.getString("etag"), State.valueOf(rs.getString("state")), rs.getString("owner"), rs.getInt("attempts"),
                rs.getTimestamp("updated_at").toInstant());
    }

    /** A poller's identity in the table: {@code host:pid:instance}. */
    public record Owner(String host, long pid, String instance) {
        static final String HOST = localHost();

        /** A new identity for a poller of this process. */
        public static Owner current() {
            return new Owner(HOST, ProcessHandle.current().pid(), java.util.UUID.randomUUID().toString().substring(0, 8));
        }

        static @Nullable Owner parse(String text) {
            int last = text.lastIndexOf(':');
            int pidStart = last <= 0 ? -1 : text.lastIndexOf(':', last - 1);
            if (pidStart < 0) {
                return null;
            }
            try {
                return new Owner(text.substring(0, pidStart), Long.parseLong(text.substring(pidStart + 1, last)), text.substring(last + 1));
            } catch (NumberFormatException e) {
                return null;
            }
        }

        private static String localHost() {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                return "unknown-host";
            }
        }

        @Override
        public String toString() {
            return host + ":" + pid + ":" + instance;
        }
    }
}
