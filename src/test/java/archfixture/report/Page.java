package archfixture.report;

/** Fixture for ArchitectureTests: a later stage (report) that an earlier one must not import. */
public class Page {
}
