package dev.calleval.budget;

import dev.calleval.bluejay.ApiKey;
import dev.calleval.bluejay.BluejayAccount;
import dev.calleval.bluejay.BluejayRateLimitSettings;
import dev.calleval.bluejay.RequestBudget;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The request budgets of the Bluejay accounts this process sends to (docs/rate-budget.md): one per account (base URL +
 * API key), shared by every execution of this process and, through the state store, of every other process on it.
 * The bucket is Bucket4j's: its PostgreSQL proxy manager ({@code SELECT ... FOR UPDATE} of the bucket's row) on
 * PostgreSQL, {@link H2BucketProxyManager} (Bucket4j's generic select-for-update building block with H2's SQL) on H2.
 * Thread-safe.
 */
@Component
public class AccountBudgets {
    private final BluejayRateLimitSettings settings;
    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Map<String, SharedAccount> accounts = new ConcurrentHashMap<>();
    private volatile ProxyManager<String> buckets;
    private final Duration storeWait;

    /** The budgets of the accounts at the limits of {@code settings}, kept in the store behind {@code dataSource}. */
    @Autowired
    public AccountBudgets(BluejayRateLimitSettings settings, DataSource dataSource) {
        this(settings, dataSource, Clock.systemUTC(), SharedAccount.STORE_WAIT);
    }

    /** @param storeWait how long a request waits for a store that cannot be reached before its process paces itself alone */
    AccountBudgets(BluejayRateLimitSettings settings, DataSource dataSource, Clock clock, Duration storeWait) {
        this.storeWait = storeWait;
        this.settings = settings;
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
    }

    /**
     * The budget of one execution that sends with {@code apiKey} to {@code baseUrl}: the account's shared budget, paced
     * first at {@code ownLimit} when that is lower than the account's limit; or, when the account's limit is 0 (no shared
     * budget), the client's own pacing at {@code ownLimit} ({@link RequestBudget#local}).
     *
     * @param jobName shown to operators as the member of the account (never the key)
     * @param ownLimit the job's {@code submit.rate-limit} (0 = none of its own)
     */
    public RequestBudget forExecution(URI baseUrl, ApiKey apiKey, String jobName, double ownLimit) {
        double perSecond = settings.perSecondAt(baseUrl);
        if (perSecond <= 0) {
            return RequestBudget.local(ownLimit);
        }
        BluejayAccount account = BluejayAccount.of(baseUrl, apiKey);
        SharedAccount shared = accounts.compute(account.id(), (id, known) -> known != null && known.perSecond() == perSecond ? known
                : new SharedAccount(account, perSecond, buckets(), jdbc, clock, storeWait));
        return new ExecutionBudget(shared, ownLimit, jobName, jdbc, clock);
    }

    /** The account's limit at {@code baseUrl} (requests per second; 0: no shared budget). */
    public double perSecondAt(URI baseUrl) {
        return settings.perSecondAt(baseUrl);
    }

    private ProxyManager<String> buckets() {
        ProxyManager<String> made = buckets;
        if (made == null) {
            synchronized (this) {
                made = buckets;
                if (made == null) {
                    made = postgres() ? Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                            .primaryKeyMapper(PrimaryKeyMapper.STRING)
                            .table("bluejay_budget_bucket").idColumn("id").stateColumn("state")
                            .clientClock(new WallClock(clock))
                            .build()
                            : new H2BucketProxyManager(dataSource, ClientSideConfig.getDefault().withClientClock(new WallClock(clock)));
                    buckets = made;
                }
            }
        }
        return made;
    }

    private boolean postgres() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the state store to find its kind: " + e.getMessage(), e);
        }
    }
}
