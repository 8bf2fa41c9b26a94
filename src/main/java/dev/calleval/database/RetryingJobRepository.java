package dev.calleval.database;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Lets Spring Batch's {@link JobRepository} ride through a database outage ({@link DatabaseRetry}): the update of a
 * step execution at the end of each chunk, of the job execution at its end, and the repository's reads are run again
 * when the connection was lost; creating an instance or execution only when it never reached the database. Without
 * it, a failed update at a chunk's end leaves the job "in an unknown state" that Spring Batch refuses to restart.
 *
 * <p>A call made inside a transaction that holds a database connection (a tasklet step's transaction) is not
 * retried here: its transaction is broken and is run again by whoever started it.
 */
@Component
class RetryingJobRepository implements BeanPostProcessor {
    private final ObjectProvider<DatabaseRetry> retry;

    RetryingJobRepository(ObjectProvider<DatabaseRetry> retry) {
        this.retry = retry;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof JobRepository repository
                && !(Proxy.isProxyClass(bean.getClass()) && Proxy.getInvocationHandler(bean) instanceof Handler)) {
            return wrap(repository, retry::getObject);
        }
        return bean;
    }

    /** {@code repository}, retrying through {@code retry} as described above. */
    static JobRepository wrap(JobRepository repository, Supplier<DatabaseRetry> retry) {
        return (JobRepository) Proxy.newProxyInstance(RetryingJobRepository.class.getClassLoader(),
                new Class<?>[] {JobRepository.class}, new Handler(repository, retry));
    }

    private record Handler(JobRepository target, Supplier<DatabaseRetry> retry) implements InvocationHandler {
        @Override
        public @Nullable Object invoke(Object proxy, Method method, Object @Nullable [] args) throws Throwable {
            return RetryingJobRepository.invoke(target, retry.get(), method, args);
        }
    }

    private static @Nullable Object invoke(JobRepository target, DatabaseRetry retry, Method method, Object @Nullable [] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class || holdsConnection()) {
            return call(target, method, args);
        }
        String name = method.getName();
        String what = "updating Spring Batch's job repository (" + name + ")";
        Supplier<@Nullable Object> work = () -> {
            try {
                return call(target, method, args);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable checked) {
                throw new CheckedFailure(checked);
            }
        };
        try {
            if (name.startsWith("update") || name.startsWith("get") || name.startsWith("find")) {
                return retry.call(what, work);
            }
            return retry.callIfNeverSent(what, work);
        } catch (CheckedFailure e) {
            throw e.getCause();
        }
    }

    private static @Nullable Object call(JobRepository target, Method method, Object @Nullable [] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getTargetException();
        }
    }

    /** Whether this thread is inside a transaction bound to a JDBC connection. */
    private static boolean holdsConnection() {
        return TransactionSynchronizationManager.getResourceMap().values().stream().anyMatch(ConnectionHolder.class::isInstance);
    }

    /** Carries a checked exception of the repository through the retry. */
    private static final class CheckedFailure extends RuntimeException {
        CheckedFailure(Throwable cause) {
            super(cause);
        }

        @Override
        public synchronized Throwable getCause() {
            return super.getCause();
        }
    }
}
