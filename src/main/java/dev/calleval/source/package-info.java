/**
 * Where calls come from: CSV manifests (local, gzip-refused, or {@code s3://}) read by a streaming, restartable
 * item reader (Apache Commons CSV, header-based, one record in memory at a time), and S3 prefixes read by grouping
 * each call's objects. Both turn every input into a {@link dev.calleval.source.CallRecord} carrying its provenance
 * ({@link dev.calleval.source.InputLocation}: file and line, or S3 key) and its values by logical column name.
 * {@link dev.calleval.source.InputFileException} is how a referenced file names the field it fails on.
 * Depends on {@code s3/} for storage access, never the reverse.
 */
@NullMarked
package dev.calleval.source;

import org.jspecify.annotations.NullMarked;

