package dev.calleval.cli;

import dev.calleval.jobfile.JobDefinition;
import dev.calleval.jobfile.JobDefinitions;
import dev.calleval.jobfile.JobFileException;
import dev.calleval.jobfile.QualitySettings;
import org.jspecify.annotations.Nullable;

/** The {@code quality:} section of a job named as in the jobs folder, for {@code compare} and {@code report}. */
final class JobQuality {
    private JobQuality() {}

    /**
     * The section of the evaluate job file {@code <jobs-dir>/<name>.yaml}; null when there is no such file (a job known
     * only to the database), it is not an evaluate job, or it has no {@code quality:} section.
     *
     * @throws JobFileException when the file exists but is not a valid job file
     */
    static @Nullable QualitySettings of(JobDefinitions jobs, String name) {
        try {
            jobs.resolve(name);
        } catch (JobFileException e) {
            return null;
        }
        return jobs.load(name) instanceof JobDefinition.Evaluate e ? e.quality() : null;
    }
}
