package archfixture.sandbox;

import archfixture.mapping.Rule;

/** Fixture for ArchitectureTests: a sandbox class that imports the application. */
public class FakeServer {
    Rule rule;
}
