package archfixture.alpha;

import archfixture.beta.B;

/** Fixture for ArchitectureTests: half of a package cycle (alpha → beta → alpha). */
public class A {
    B partner;
}
