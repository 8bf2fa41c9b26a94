package dev.calleval.config;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the application itself rather than of one feature ({@code calleval.*}).
 *
 * @param jobsDir the directory of the named job files ({@code calleval run NAME} reads {@code NAME.yaml} there), relative
 *     to the working directory; default {@code jobs} ({@code calleval.jobs-dir}, {@code CALLEVAL_JOBS_DIR}; docs/job-file.md)
 */
@ConfigurationProperties("calleval")
public record CallevalSettings(@DefaultValue("jobs") Path jobsDir) {}
