/**
 * Job files (the YAML files in {@code jobs/}): {@link dev.calleval.jobfile.JobDefinition} and its sections, the
 * strict loader {@link dev.calleval.jobfile.JobDefinitions} (an unknown or misspelt key is an error naming it and
 * its line) and the Bluejay client a job's settings build. Nothing here runs a job.
 */
@NullMarked
package dev.calleval.jobfile;

import org.jspecify.annotations.NullMarked;
