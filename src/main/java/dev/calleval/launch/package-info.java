/**
 * Starting job executions: {@link dev.calleval.launch.JobRunner} starts a job file's job or restarts its last
 * failed execution, refuses a second execution of the same job and source, and writes the report and execution
 * history afterwards. The job kinds themselves live in {@code evaluate/} and {@code enrich/}.
 */
@NullMarked
package dev.calleval.launch;

import org.jspecify.annotations.NullMarked;
