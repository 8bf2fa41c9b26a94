package archfixture.beta;

import archfixture.alpha.A;

/** Fixture for ArchitectureTests: the other half of a package cycle (beta → alpha). */
public class B {
    A partner;
}
