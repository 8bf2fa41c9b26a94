/**
 * Job files (the YAML files in {@code jobs/}): {@link dev.calleval.jobfile.JobDefinition}, a sealed interface with one
 * record per kind ({@code Evaluate}, {@code Enrich}, {@code SimulateSms}, {@code DropFolder}), and its sections (one
 * record per section, each in its own file); the strict loader {@link dev.calleval.jobfile.JobDefinitions}, which
 * binds a file as written ({@code JobFile}: an unknown or misspelt key is an error naming it and its line) and turns
 * it into the record of its kind; and the Bluejay client a job's settings build. Nothing here runs a job.
 */
@NullMarked
package dev.calleval.jobfile;

import org.jspecify.annotations.NullMarked;

