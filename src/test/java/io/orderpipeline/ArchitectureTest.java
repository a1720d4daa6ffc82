package io.orderpipeline;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.base.DescribedPredicate.and;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The packages follow the pipeline's stages: the order model at the bottom knows no framework and no other package;
 * the intake (HTTP to Kafka) and the sink (Kafka to PostgreSQL) do not know each other.
 */
@AnalyzeClasses(packages = "io.orderpipeline", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

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
    static final ArchRule theIntakeKnowsNoSink = noClasses().that().resideInAPackage("io.orderpipeline.intake..")
            .should().dependOnClassesThat().resideInAPackage("io.orderpipeline.sink..");

    @ArchTest
    static final ArchRule theSinkKnowsNoIntake = noClasses().that().resideInAPackage("io.orderpipeline.sink..")
            .should().dependOnClassesThat().resideInAPackage("io.orderpipeline.intake..");
}
