/**
 * S3 access shared by every feature that reads or writes buckets (s3:// manifests, prefix scans, recordings sent
 * as presigned URLs, the drop folder, reports): the {@link dev.calleval.s3.S3Location} value object for
 * {@code s3://bucket/key}, the application-wide {@link dev.calleval.s3.S3Settings} ({@code calleval.s3.*}) and
 * {@link dev.calleval.s3.S3Clients}, which builds the AWS SDK v2 {@code S3Client} and {@code S3Presigner} on first
 * use, so a run that never touches S3 needs neither AWS credentials nor a region.
 */
@NullMarked
package dev.calleval.s3;

import org.jspecify.annotations.NullMarked;
