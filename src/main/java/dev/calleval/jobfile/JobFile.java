package dev.calleval.jobfile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A job file as written: every section a file may hold, the four kind sections nullable. {@link JobDefinitions}
 * binds a file to this record strictly (its components are the keys a file may hold, {@link JobFileKeys}), checks
 * that exactly one kind section is present, and turns it into the {@link JobDefinition} of that kind
 * ({@link #definition}). Sections that do not apply to the declared kind ({@code defaults:} in an enrich job, say)
 * are accepted and ignored, as they always were.
 *
 * @param file set by the loader, never read from the file (a {@code file:} key is bound and then replaced)
 */
record JobFile(
        String name,
        @Nullable String description,
        @Nullable SourceSettings source,
        @Nullable EnrichSettings enrich,
        @Nullable SimulateSmsSettings simulateSms,
        @Nullable DropFolderSettings dropFolder,
        @DefaultValue CallDefaults defaults,
        @DefaultValue SubmitSettings submit,
        @DefaultValue ResultsSettings results,
        @DefaultValue ReportSettings report,
        @DefaultValue TranscriptSettings transcript,
        @DefaultValue RedactionSettings redaction,
        @DefaultValue SamplingSettings sampling,
        @Nullable Schedule schedule,
        @Nullable QualitySettings quality,
        @Nullable Path file) {

    JobFile {
        checkName(name);
        List<String> sections = new ArrayList<>();
        if (source != null) {
            sections.add("source:");
        }
        if (enrich != null) {
            sections.add("enrich:");
        }
        if (simulateSms != null) {
            sections.add("simulate-sms:");
        }
        if (dropFolder != null) {
            sections.add("drop-folder:");
        }
        if (sections.size() != 1) {
            throw new IllegalArgumentException("a job file declares exactly one of source: (an evaluate job: source.location), "
                    + "enrich: (enrich.location), simulate-sms: (simulate-sms.runs) or drop-folder: (drop-folder.inbox); "
                    + (sections.isEmpty() ? "found none" : "found " + String.join(" and ", sections)));
        }
        if (schedule != null && (simulateSms != null || dropFolder != null)) {
            throw new IllegalArgumentException("schedule: applies to evaluate (source:) and enrich (enrich:) jobs, not to simulate-sms or "
                    + "drop-folder jobs (a drop folder is polled every drop-folder.poll-interval)");
        }
    }

    /** @throws IllegalArgumentException unless {@code name} is 1-100 letters, digits, '.', '_' or '-' */
    static void checkName(@Nullable String name) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
            throw new IllegalArgumentException("name must be 1-100 letters, digits, '.', '_' or '-', got: " + name);
        }
    }

    /** The job this file declares, by its one kind section; relative paths in it resolve against {@code file}'s folder. */
    JobDefinition definition(@Nullable Path file) {
        if (source != null) {
            return new JobDefinition.Evaluate(name, description, source, defaults, submit, results, report, transcript, redaction, sampling, schedule, file, quality);
        }
        if (enrich != null) {
            return new JobDefinition.Enrich(name, description, enrich, submit, report, schedule, file);
        }
        if (simulateSms != null) {
            return new JobDefinition.SimulateSms(name, description, simulateSms, submit, report, file);
        }
        if (dropFolder != null) {
            return new JobDefinition.DropFolder(name, description, dropFolder, defaults, submit, results, report, transcript, redaction, sampling, file);
        }
        throw new IllegalStateException("unreachable: the constructor requires one kind section");
    }
}
