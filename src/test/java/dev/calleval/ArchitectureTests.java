package dev.calleval;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shape of the code, checked on the compiled main classes (docs: CONTRIBUTING.md, "Where things live"):
 * <ul>
 *   <li>no import cycle between the packages under {@code dev.calleval}, and none through the application class in
 *       {@code dev.calleval} itself (no package imports it);</li>
 *   <li>the sandbox (the embedded fake Bluejay) imports nothing of the application, so it can be run, tested and
 *       replaced on its own;</li>
 *   <li>data flows one way: the earlier stages (source, transcript, mapping) and the foundations (bluejay, s3,
 *       database, execution, secrets) never import the later stages or the commands.</li>
 * </ul>
 * Each rule is also run on {@code archfixture} (test classes that break it on purpose) to show it fails when broken.
 * {@code scripts/package-graph.sh} prints the package graph these rules keep acyclic.
 */
class ArchitectureTests {

    /** Later stages, jobs and entry points: nothing earlier in the flow may import them. */
    private static final List<String> LATER = List.of("ledger", "evaluate", "enrich", "reconciliation", "webhook", "report",
            "jobfile", "launch", "dropfolder", "simulation", "serve", "cli", "monitoring");
    private static final List<String> EARLIER = List.of("source", "transcript", "mapping");
    private static final List<String> FOUNDATIONS = List.of("bluejay", "s3", "database", "execution", "secrets", "config");

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.calleval");

    private static final JavaClasses BROKEN = new ClassFileImporter().importPackages("archfixture");

    @Test
    void packagesHaveNoCycle() {
        assertThat(MAIN.size()).as("main classes imported").isGreaterThan(150);
        noCycles("dev.calleval").check(MAIN);
    }

    @Test
    void nothingImportsTheApplicationClass() {
        rootImportedByNone("dev.calleval").check(MAIN);
    }

    @Test
    void sandboxImportsNothingOfTheApplication() {
        sandboxAlone("dev.calleval").check(MAIN);
    }

    @Test
    void earlierStagesAndFoundationsNeverImportLaterOnes() {
        oneWay("dev.calleval").check(MAIN);
    }

    @Test
    void eachRuleFailsWhenBroken() {
        assertViolation(noCycles("archfixture"), "archfixture.alpha.A", "archfixture.beta.B");
        assertViolation(sandboxAlone("archfixture"), "archfixture.sandbox.FakeServer", "archfixture.mapping.Rule");
        assertViolation(sandboxAlone("archfixture"), "archfixture.sandbox.RootUser", "archfixture.Root");
        assertViolation(rootImportedByNone("archfixture"), "archfixture.report.RootReport", "archfixture.Root");
        assertViolation(oneWay("archfixture"), "archfixture.mapping.Rule", "archfixture.report.Page");
    }

    private static void assertViolation(ArchRule rule, String... named) {
        EvaluationResult result = rule.evaluate(BROKEN);
        assertThat(result.hasViolation()).as(rule.getDescription()).isTrue();
        String report = result.getFailureReport().toString();
        assertThat(Arrays.stream(named)).allMatch(report::contains);
    }

    static ArchRule noCycles(String root) {
        return slices().matching(root + ".(*)..").should().beFreeOfCycles();
    }

    /** The root package (the application class) is imported by none of the packages under it: no cycle through it. */
    static ArchRule rootImportedByNone(String root) {
        return noClasses().that().resideInAPackage(root + ".*..")
                .should().dependOnClassesThat().resideInAPackage(root)
                .because("the application class starts the commands; nothing it starts may depend on it");
    }

    static ArchRule sandboxAlone(String root) {
        return noClasses().that().resideInAPackage(root + ".sandbox..")
                .should().dependOnClassesThat(DescribedPredicate.describe(
                        "are in " + root + " outside " + root + ".sandbox",
                        (JavaClass c) -> (c.getPackageName().equals(root) || c.getPackageName().startsWith(root + "."))
                                && !c.getPackageName().equals(root + ".sandbox") && !c.getPackageName().startsWith(root + ".sandbox.")))
                .because("the sandbox stands alone: the application depends on it, never the reverse");
    }

    static ArchRule oneWay(String root) {
        String[] earlier = packages(root, concat(EARLIER, FOUNDATIONS));
        String[] later = packages(root, LATER);
        return noClasses().that().resideInAnyPackage(earlier)
                .should().dependOnClassesThat().resideInAnyPackage(later)
                .because("data flows source → mapping → ledger → client → webhook → reconciliation → report");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }

    private static String[] packages(String root, List<String> names) {
        return names.stream().map(n -> root + "." + n + "..").toArray(String[]::new);
    }
}
