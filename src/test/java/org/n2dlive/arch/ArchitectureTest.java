package org.n2dlive.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructor;
import com.tngtech.archunit.core.domain.properties.HasName;
import com.tngtech.archunit.core.domain.properties.HasOwner;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.n2dlive.n2d.LiveModels;
import org.n2dlive.n2d.SeriesDenoiser;
import org.n2dlive.n2d.TemporalDenoiser;
import org.n2dlive.n2d.WarmStartDenoiser;

/**
 * The engine's package layering, checked on its compiled classes: no package cycle (each package, sub-packages
 * included, is its own slice), and the low layers never reach up.
 */
class ArchitectureTest {
    private static JavaClasses engine;

    @BeforeAll
    static void importClasses() {
        // The build puts test classes in target/engine/test-classes, which the predefined test filter (Maven's
        // target/test-classes) does not recognise.
        ImportOption productionOnly = location -> !location.contains("/test-classes/");
        engine = new ClassFileImporter().withImportOption(productionOnly).importPackages("org.n2dlive");
    }

    @Test
    void noPackageCycles() {
        slices().matching("org.n2dlive.(**)").should().beFreeOfCycles().check(engine);
    }

    @Test
    void backendsDependOnlyOnTheEngineApi() {
        noClasses().that().resideInAnyPackage("org.n2dlive.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("org.n2dlive.n2d..", "org.n2dlive.stream..",
                        "org.n2dlive.profile..", "org.n2dlive.cli..", "org.n2dlive.synth..", "org.n2dlive.io..")
                .check(engine);
    }

    @Test
    void engineApiNamesNoBackend() {
        noClasses().that().resideInAPackage("org.n2dlive.engine")
                .should().dependOnClassesThat().resideInAnyPackage("org.n2dlive.engine.onnx..",
                        "org.n2dlive.engine.pytorch..")
                .check(engine);
    }

    @Test
    void streamingCoreKnowsNoModel() {
        noClasses().that().resideInAnyPackage("org.n2dlive.stream..", "org.n2dlive.frame..")
                .should().dependOnClassesThat().resideInAnyPackage("org.n2dlive.n2d..", "org.n2dlive.engine..",
                        "org.n2dlive.profile..", "org.n2dlive.cli..", "ai.djl..")
                .check(engine);
    }

    /** The core is what the Micro-Manager plugin ships; the CLI's file formats, sources and metrics stay beside it. */
    @Test
    void theEngineCoreNeedsNoCommandLineFileFormatsSourcesOrMetrics() {
        noClasses().that().resideInAnyPackage("org.n2dlive.engine..", "org.n2dlive.n2d..", "org.n2dlive.stream..",
                        "org.n2dlive.temporal..", "org.n2dlive.frame..", "org.n2dlive.profile..")
                .should().dependOnClassesThat().resideInAnyPackage("org.n2dlive.cli..", "org.n2dlive.io..",
                        "org.n2dlive.synth..", "org.n2dlive.metrics..")
                .check(engine);
    }

    /** The live stack is built in one place, so the plugin, the command line and the benches run the same one. */
    @Test
    void onlyTheCompositionRootBuildsTheLiveModels() {
        for (Class<?> model : new Class<?>[] {SeriesDenoiser.class, TemporalDenoiser.class, WarmStartDenoiser.class}) {
            noClasses().that().doNotBelongToAnyOf(LiveModels.class, model)
                    .should().callCodeUnitWhere(JavaCall.Predicates.target(HasOwner.Predicates.With.owner(
                            HasName.Predicates.name(model.getName())))
                            .and(JavaCall.Predicates.target(HasName.Predicates.name(JavaConstructor.CONSTRUCTOR_NAME))))
                    .because("LiveModels is the composition root of the live stack")
                    .check(engine);
        }
    }

    @Test
    void onlyTheCommandLineUsesPicocli() {
        noClasses().that().resideOutsideOfPackage("org.n2dlive.cli..")
                .should().dependOnClassesThat().resideInAPackage("picocli..").check(engine);
    }
}
