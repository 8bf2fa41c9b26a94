package archfixture.report;

import archfixture.Root;

/** Fixture for ArchitectureTests: the other half of the cycle through the root package. */
public class RootReport {
    Root root;
}
