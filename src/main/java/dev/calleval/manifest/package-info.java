/**
 * Reading calls from CSV manifests: a streaming, restartable item reader (Apache Commons CSV, header-based, one
 * record in memory at a time) that turns each data row into a {@link dev.calleval.manifest.CallRecord} carrying
 * its provenance (file and line) and its values by logical column name.
 */
@NullMarked
package dev.calleval.manifest;

import org.jspecify.annotations.NullMarked;
