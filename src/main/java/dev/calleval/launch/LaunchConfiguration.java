package dev.calleval.launch;

import org.springframework.batch.core.configuration.JobRegistry;
import org.springframework.batch.core.configuration.support.MapJobRegistry;
import org.springframework.boot.batch.autoconfigure.BatchTaskExecutor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one {@link JobRegistry} of the process and the task executor of its one {@code JobOperator}: Spring Boot's batch
 * configuration builds the operator with both ({@code DefaultBatchConfiguration} takes the registry bean,
 * {@link BatchTaskExecutor} marks the executor). {@link JobRunner} registers each job it launches.
 */
@Configuration(proxyBeanMethods = false)
class LaunchConfiguration {

    @Bean
    MapJobRegistry jobRegistry() {
        return new MapJobRegistry();
    }

    /** Not a default candidate: only the batch configuration takes it, and Spring Boot's own task executor stays. */
    @Bean(defaultCandidate = false)
    @BatchTaskExecutor
    LaunchExecutor launchExecutor() {
        return new LaunchExecutor();
    }
}
