/**
 * {@code calleval export}: one record per call — provenance, Bluejay ids and status, every evaluation field, every
 * custom metric and the submission history — read from the ledger as a stream and written as CSV or JSON Lines to a
 * writer (standard output, a file, or an S3 multipart upload). See docs/export.md.
 */
@NullMarked
package dev.calleval.export;

import org.jspecify.annotations.NullMarked;
