package dev.miniplatform.api;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Dependencies point inward: platform-api → auth, infra → tenant-model. The domain knows no web, Redis or
 * Keycloak; auth and infra do not know each other or the application.
 */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.miniplatform");

    @Test
    void theDomainKnowsNoWebNoRedisNoKeycloakAndNoOuterModule() {
        noClasses().that().resideInAPackage("dev.miniplatform.model..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework.web..", "org.springframework.http..", "org.springframework.data.redis..",
                        "org.keycloak..", "org.springframework.security..",
                        "dev.miniplatform.auth..", "dev.miniplatform.infra..", "dev.miniplatform.api..")
                .check(CLASSES);
    }

    @Test
    void authAndInfraDoNotDependOnEachOtherOrOnTheApplication() {
        noClasses().that().resideInAPackage("dev.miniplatform.auth..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.miniplatform.infra..", "dev.miniplatform.api..")
                .check(CLASSES);
        noClasses().that().resideInAPackage("dev.miniplatform.infra..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.miniplatform.auth..", "dev.miniplatform.api..")
                .check(CLASSES);
    }

    @Test
    void theApplicationReachesKeycloakOnlyThroughTheAuthAdapter() {
        noClasses().that().resideInAPackage("dev.miniplatform.api..")
                .should().dependOnClassesThat().resideInAnyPackage("org.keycloak..", "jakarta.ws.rs..")
                .check(CLASSES);
    }

    /**
     * Demo data and the benchmark's endpoint live in src/dev/java, which only the dev jar ({@code -Pdev}, whose build
     * runs no tests) compiles as main code; here it is test code, so none of it may be among the main classes.
     */
    @Test
    void devAndBenchmarkCodeIsNotInTheProductionClasses() {
        noClasses().should().resideInAnyPackage("dev.miniplatform.api.demo..", "dev.miniplatform.api.bench..")
                .check(CLASSES);
    }
}
