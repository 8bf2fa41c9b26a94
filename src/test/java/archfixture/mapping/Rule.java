package archfixture.mapping;

import archfixture.report.Page;

/** Fixture for ArchitectureTests: an earlier stage (mapping) that imports a later one (report). */
public class Rule {
    Page later;
}
