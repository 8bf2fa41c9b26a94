package archfixture.sandbox;

import archfixture.Root;

/** Fixture for ArchitectureTests: a sandbox class that imports the root package's class. */
public class RootUser {
    Root root;
}
