package dev.calleval.budget;

import io.github.bucket4j.BucketExceptions;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.generic.select_for_update.AbstractSelectForUpdateBasedProxyManager;
import io.github.bucket4j.distributed.proxy.generic.select_for_update.LockAndGetResult;
import io.github.bucket4j.distributed.proxy.generic.select_for_update.SelectForUpdateBasedTransaction;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Bucket4j's buckets in table {@code bluejay_budget_bucket} of an H2 store (migration V10). Bucket4j 8.18 ships proxy
 * managers for PostgreSQL, MySQL, MariaDB, Oracle, DB2 and SQL Server but none for H2; this is its generic
 * select-for-update building block ({@link AbstractSelectForUpdateBasedProxyManager}) with H2's SQL, the same
 * protocol as its PostgreSQL manager: lock the bucket's row ({@code SELECT ... FOR UPDATE}; insert it empty first
 * when missing), let Bucket4j compute the new state, write it, commit. Thread-safe (one connection per command).
 */
final class H2BucketProxyManager extends AbstractSelectForUpdateBasedProxyManager<String> {
    private static final String SELECT = "SELECT state FROM bluejay_budget_bucket WHERE id = ? FOR UPDATE";
    private static final String INSERT = "INSERT INTO bluejay_budget_bucket (id, state) SELECT ?, NULL FROM (VALUES 1) "
            + "WHERE NOT EXISTS (SELECT 1 FROM bluejay_budget_bucket WHERE id = ?)";
    private static final String UPDATE = "UPDATE bluejay_budget_bucket SET state = ? WHERE id = ?";
    private static final String DELETE = "DELETE FROM bluejay_budget_bucket WHERE id = ?";

    private final DataSource dataSource;

    H2BucketProxyManager(DataSource dataSource, ClientSideConfig config) {
        super(config);
        this.dataSource = dataSource;
    }

    @Override
    protected SelectForUpdateBasedTransaction allocateTransaction(String key, Optional<Long> timeoutNanos) {
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            throw new BucketExceptions.BucketExecutionException(e);
        }
        return new SelectForUpdateBasedTransaction() {
            @Override
            public void begin(Optional<Long> timeout) {
                run(() -> connection.setAutoCommit(false));
            }

            @Override
            public LockAndGetResult tryLockAndGet(Optional<Long> timeout) {
                try (PreparedStatement select = connection.prepareStatement(SELECT)) {
                    select.setString(1, key);
                    try (ResultSet row = select.executeQuery()) {
                        return row.next() ? LockAndGetResult.locked(row.getBytes(1)) : LockAndGetResult.notLocked();
                    }
                } catch (SQLException e) {
                    throw new BucketExceptions.BucketExecutionException(e);
                }
            }

            @Override
            public boolean tryInsertEmptyData(Optional<Long> timeout) {
                try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                    insert.setString(1, key);
                    insert.setString(2, key);
                    return insert.executeUpdate() > 0;
                } catch (SQLException e) {
                    if ("23505".equals(e.getSQLState())) { // another process inserted it first: lock theirs next
                        return false;
                    }
                    throw new BucketExceptions.BucketExecutionException(e);
                }
            }

            @Override
            public void update(byte[] data, RemoteBucketState newState, Optional<Long> timeout) {
                try (PreparedStatement update = connection.prepareStatement(UPDATE)) {
                    update.setBytes(1, data);
                    update.setString(2, key);
                    update.executeUpdate();
                } catch (SQLException e) {
                    throw new BucketExceptions.BucketExecutionException(e);
                }
            }

            @Override
            public void commit(Optional<Long> timeout) {
                run(connection::commit);
            }

            @Override
            public void rollback() {
                run(connection::rollback);
            }

            @Override
            public void release() {
                run(connection::close);
            }
        };
    }

    @Override
    public void removeProxy(String key) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement delete = connection.prepareStatement(DELETE)) {
            delete.setString(1, key);
            delete.executeUpdate();
        } catch (SQLException e) {
            throw new BucketExceptions.BucketExecutionException(e);
        }
    }

    @Override
    public boolean isExpireAfterWriteSupported() {
        return false;
    }

    private interface Sql {
        void run() throws SQLException;
    }

    private static void run(Sql sql) {
        try {
            sql.run();
        } catch (SQLException e) {
            throw new BucketExceptions.BucketExecutionException(e);
        }
    }
}
