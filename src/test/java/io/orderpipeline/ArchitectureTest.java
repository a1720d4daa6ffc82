package io.orderpipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.orderpipeline.support.cycle.one.First;
import io.orderpipeline.support.cycle.two.Second;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.and;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The packages follow the pipeline's stages. From the bottom: the order model, which knows no framework and no other
 * package; the platform pieces the stages share (start-up, HTTP servers, security, metrics, tracing, Kafka and
 * PostgreSQL clients), which know no stage; the intake (HTTP to Kafka) and the sink (Kafka to PostgreSQL), which do
 * not know each other; the launcher ({@code cli}) on top. The Camel gaps ({@code upstream}) know no stage, and only
 * the start-up wires them in: deleting the package touches the start-up and application.properties, nothing else.
 */
@AnalyzeClasses(packages = "io.orderpipeline", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** Each package is a slice: no two packages may depend on each other, directly or through others. */
    static final ArchRule NO_CYCLES = slices().matching("io.orderpipeline.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule packagesAreFreeOfCycles = NO_CYCLES;

    @ArchTest
    static final ArchRule theOrderModelKnowsNoFramework = noClasses().that().resideInAPackage("io.orderpipeline.order..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.camel..", "io.vertx..", "io.netty..",
                    "org.apache.kafka..", "java.sql..", "javax.sql..", "org.springframework..")
            .because("the order model is what every stage shares: plain Java (and Jackson's annotations)");

    @ArchTest
    static final ArchRule theOrderModelKnowsNoOtherPackage = noClasses().that()
            .resideInAPackage("io.orderpipeline.order..").should().dependOnClassesThat(
                    and(resideInAPackage("io.orderpipeline.."), resideOutsideOfPackage("io.orderpipeline.order..")))
            .because("it is the bottom layer");

    @ArchTest
    static final ArchRule thePlatformKnowsNoStage = noClasses().that().resideInAPackage("io.orderpipeline.platform..")
            .should().dependOnClassesThat().resideInAnyPackage("io.orderpipeline.intake..", "io.orderpipeline.sink..",
                    "io.orderpipeline.cli..", "io.orderpipeline.devservices..")
            .because("the stages stand on the platform, not the other way round");

    @ArchTest
    static final ArchRule theIntakeKnowsNoSink = noClasses().that().resideInAPackage("io.orderpipeline.intake..")
            .should().dependOnClassesThat().resideInAPackage("io.orderpipeline.sink..");

    @ArchTest
    static final ArchRule theSinkKnowsNoIntake = noClasses().that().resideInAPackage("io.orderpipeline.sink..")
            .should().dependOnClassesThat().resideInAPackage("io.orderpipeline.intake..");

    @ArchTest
    static final ArchRule theGapsKnowNoStage = noClasses().that().resideInAPackage("io.orderpipeline.upstream..")
            .should().dependOnClassesThat().resideInAnyPackage("io.orderpipeline.intake..", "io.orderpipeline.sink..",
                    "io.orderpipeline.cli..", "io.orderpipeline.platform.startup..")
            .because("the gap layer fills holes in Camel and Vert.x, whatever route uses them");

    @ArchTest
    static final ArchRule onlyTheStartUpWiresTheGaps = noClasses().that()
            .resideOutsideOfPackages("io.orderpipeline.upstream..", "io.orderpipeline.platform.startup..")
            .should().dependOnClassesThat().resideInAPackage("io.orderpipeline.upstream..")
            .because("the gap layer goes away the day Camel closes the gaps: only the start-up and"
                    + " application.properties name it");

    /** What the compiled classes do not show: an import for a javadoc link would still keep the gaps from going. */
    @Test
    void noSourceOutsideTheStartUpImportsTheGaps() throws IOException {
        Path sources = Path.of("src/main/java/io/orderpipeline");
        try (Stream<Path> files = Files.walk(sources)) {
            List<String> importers = files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> !file.startsWith(sources.resolve("upstream"))
                            && !file.startsWith(sources.resolve("platform/startup")))
                    .filter(file -> read(file).contains("import io.orderpipeline.upstream."))
                    .map(file -> sources.relativize(file).toString()).toList();
            assertThat(importers).isEmpty();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aCycleBetweenTwoPackagesFailsTheRule() {
        JavaClasses twoPackagesThatKnowEachOther = new ClassFileImporter().importClasses(First.class, Second.class);
        assertThatThrownBy(() -> slices().matching("io.orderpipeline.support.cycle.(**)").should().beFreeOfCycles()
                .check(twoPackagesThatKnowEachOther))
                .isInstanceOf(AssertionError.class).hasMessageContaining("Cycle detected");
    }
}
