/**
 * {@code calleval serve}: one long-running process that keeps the webhook receiver up and reconciles what arrives,
 * runs the jobs whose files declare a {@code schedule:}, and launches jobs on demand over an HTTP API
 * ({@code /api/jobs}, {@code /api/executions}, bearer token {@code CALLEVAL_API_TOKEN}). Every launch is a real job
 * execution through {@link dev.calleval.launch.JobRunner}, a few at a time; on shutdown, running executions stop after
 * their current chunk (STOPPED, restarted by the next launch).
 */
@NullMarked
package dev.calleval.serve;

import org.jspecify.annotations.NullMarked;

