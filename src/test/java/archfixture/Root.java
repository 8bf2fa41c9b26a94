package archfixture;

import archfixture.report.RootReport;

/** Fixture for ArchitectureTests: the root package's class, in a cycle with report (Root → RootReport → Root). */
public class Root {
    RootReport report;
}
