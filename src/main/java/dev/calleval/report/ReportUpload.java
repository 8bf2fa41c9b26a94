package dev.calleval.report;

import dev.calleval.s3.S3AccessException;
import dev.calleval.s3.S3ConfigurationException;
import dev.calleval.s3.S3Location;
import dev.calleval.s3.S3Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Uploads a report directory written on local disk to S3, file by file ({@code calls.csv}, {@code rejects.csv},
 * {@code summary.json}, ...), keeping the local copy. Content types: {@code text/csv}, {@code application/json},
 * {@code text/html}, else S3's default.
 */
@Component
public class ReportUpload {
    private final S3Storage s3;

    public ReportUpload(S3Storage s3) {
        this.s3 = s3;
    }

    /**
     * What an upload did.
     *
     * @param target the prefix the files went to, ending in {@code /}
     * @param uploaded the objects written, in file-name order
     * @param error why it stopped, or null when every file was uploaded
     */
    public record Result(S3Location target, List<S3Location> uploaded, @Nullable String error) {
        public Result {
            uploaded = List.copyOf(uploaded);
        }

        /** True when every file was uploaded. */
        public boolean succeeded() {
            return error == null;
        }
    }

    /**
     * Uploads every regular file directly in {@code directory} to {@code target/<file name>}. Never throws for an
     * S3 or file failure: the result says what was uploaded and why it stopped.
     *
     * @param target the prefix, e.g. {@code s3://bucket/reports/sample/7/}
     */
    public Result upload(Path directory, S3Location target) {
        S3Location prefix = target.key().isEmpty() || target.key().endsWith("/") ? target : new S3Location(target.bucket(), target.key() + "/");
        List<S3Location> uploaded = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                S3Location object = prefix.child(file.getFileName().toString());
                s3.upload(file, object, contentType(file));
                uploaded.add(object);
            }
            return new Result(prefix, uploaded, null);
        } catch (S3AccessException | S3ConfigurationException e) {
            return new Result(prefix, uploaded, e.getMessage());
        } catch (IOException e) {
            return new Result(prefix, uploaded, "cannot list " + directory + ": " + e.getMessage());
        }
    }

    private static @Nullable String contentType(Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith(".csv")) {
            return "text/csv; charset=utf-8";
        }
        if (name.endsWith(".json")) {
            return "application/json";
        }
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        return null;
    }
}
