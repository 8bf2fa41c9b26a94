package dev.calleval.source;

import dev.calleval.s3.S3Location;
import java.nio.file.Path;

/**
 * Where an input file is, or the folder that paths written in a manifest resolve against: on local disk or in S3.
 * A path written as {@code s3://bucket/key} is an S3 object wherever it is written; any other path written in an
 * S3 manifest is an S3 key relative to the manifest's prefix, and in a local manifest a file relative to the
 * manifest's folder (absolute paths stay as they are).
 */
public sealed interface InputLocation permits InputLocation.Local, InputLocation.S3 {

    /**
     * The location of {@code path} as written in a manifest whose folder (or prefix) is this location.
     *
     * @throws IllegalArgumentException when {@code path} is a malformed {@code s3://} location or climbs above an
     *     S3 bucket's root
     */
    InputLocation resolve(String path);

    /** The folder (local) or prefix (S3) this file is in: what paths written in it resolve against. */
    InputLocation parent();

    /** The location as a user writes it: the path, or {@code s3://bucket/key}. */
    @Override
    String toString();

    /**
     * The location as messages and reports show it to the operator: {@code s3://bucket/key}, or a local path
     * relative to the working directory when it is inside it, else absolute (normalised either way) - never relative
     * to a job file.
     */
    String shown();

    /**
     * Reads a location written by a user: {@code s3://bucket/key}, or a path resolved against {@code folder} (when
     * it is relative).
     *
     * @throws IllegalArgumentException when an {@code s3://} location is malformed
     */
    static InputLocation of(String written, Path folder) {
        if (S3Location.isS3(written)) {
            return new S3(S3Location.parse(written));
        }
        Path p = Path.of(written);
        return new Local(p.isAbsolute() ? p : folder.resolve(p).normalize());
    }

    /** A file or folder on local disk. */
    record Local(Path path) implements InputLocation {
        @Override
        public InputLocation resolve(String written) {
            return of(written, path);
        }

        @Override
        public InputLocation parent() {
            Path parent = path.toAbsolutePath().getParent();
            return new Local(parent == null ? path.toAbsolutePath() : parent);
        }

        @Override
        public String toString() {
            return path.toString();
        }

        @Override
        public String shown() {
            Path absolute = path.toAbsolutePath().normalize();
            Path workingDirectory = Path.of("").toAbsolutePath();
            return absolute.startsWith(workingDirectory) && !absolute.equals(workingDirectory)
                    ? workingDirectory.relativize(absolute).toString() : absolute.toString();
        }
    }

    /** An S3 object, or a prefix (its key empty or ending in {@code /}). */
    record S3(S3Location location) implements InputLocation {
        @Override
        public InputLocation resolve(String written) {
            return new S3(location.resolve(written));
        }

        @Override
        public InputLocation parent() {
            return new S3(new S3Location(location.bucket(), location.parentPrefix()));
        }

        @Override
        public String toString() {
            return location.toString();
        }

        @Override
        public String shown() {
            return location.toString();
        }
    }
}
