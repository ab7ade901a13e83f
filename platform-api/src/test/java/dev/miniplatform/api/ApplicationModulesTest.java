package dev.miniplatform.api;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.ApplicationModule;
import org.springframework.modulith.core.ApplicationModuleDependency;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;
import org.springframework.modulith.docs.Documenter.CanvasOptions;
import org.springframework.modulith.docs.Documenter.DiagramOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each feature package of platform-api is an application module (Spring Modulith): its package-info.java says what
 * it is and which modules it may use, and other modules see only its public types. Plain JUnit over the compiled
 * main classes, no Spring context. src/dev/java (demo data, the benchmark's endpoint) is compiled with the tests,
 * so it is no module here; it may still use modules' public types.
 * <p>
 * The module map in {@code docs/modules/} is written from the same model: when it differs, this test rewrites it
 * and fails, so the next commit carries the new map (regenerate with
 * {@code ./mvnw -pl platform-api -am test -Dtest=ApplicationModulesTest -Dsurefire.failIfNoSpecifiedTests=false}).
 */
class ApplicationModulesTest {

    private static final String ROOT_PACKAGE = PlatformApplication.class.getPackageName();

    private static final ApplicationModules MODULES = ApplicationModules.of(PlatformApplication.class);

    /** src/dev/java's packages (see ArchitectureTest): compiled with the tests, yet code that uses modules' faces. */
    private static final List<String> DEV_SOURCE_PACKAGES = List.of("dev.miniplatform.api.demo", "dev.miniplatform.api.bench");

    @Test
    void modulesFormNoCycleReachIntoNoInternalsAndUseOnlyTheModulesTheyDeclare() {
        MODULES.verify();
    }

    @Test
    void everyModuleSaysWhatItIsAndWhichModulesItMayUse() {
        List<String> undeclared = MODULES.stream()
                .map(module -> module.getBasePackage().getName())
                .filter(name -> declaration(name).filter(ApplicationModulesTest::isComplete).isEmpty())
                .toList();

        assertThat(undeclared)
                .as("packages without @ApplicationModule(displayName = …, allowedDependencies = {…}) in package-info.java")
                .isEmpty();
    }

    /**
     * A module's face is what other modules build on; a public type that no other package uses is an internal that
     * anyone could start to depend on. Make it package-private (tests of the same package still see it). A type
     * counts as used when another package names it or calls a member whose signature carries it (a lambda's
     * parameter, {@code Mono<ReleaseView>} from another module's service, needs the type public too).
     */
    @Test
    void everyPublicTypeOfAModuleIsUsedByAnotherPackage() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ApplicationModulesTest::mainOrDevSource)
                .importPackages(ROOT_PACKAGE);
        Set<String> used = usedFromOtherPackages(classes);

        List<String> unused = classes.stream()
                .filter(type -> type.getPackageName().startsWith(ROOT_PACKAGE + ".")
                        && MODULES.getModuleByType(type.getName()).isPresent())
                .filter(type -> type.getModifiers().contains(JavaModifier.PUBLIC) && type.isTopLevelClass())
                .map(JavaClass::getName)
                .filter(name -> !used.contains(name))
                .sorted()
                .toList();

        assertThat(unused).as("public types of modules that no other package uses").isEmpty();
    }

    @Test
    void theModuleMapInDocsIsGeneratedFromTheModel() throws IOException {
        Path generated = Path.of("target", "module-docs");
        new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder(generated.toString()))
                .writeModulesAsPlantUml()
                .writeIndividualModulesAsPlantUml()
                // the canvases list the beans inside each module too: most of a module is package-private
                .writeModuleCanvases(CanvasOptions.defaults().revealInternals())
                .writeAggregatingDocument(DiagramOptions.defaults(), CanvasOptions.defaults().revealInternals());
        Files.writeString(generated.resolve("README.md"), overview());
        sortRelationships(generated);

        Path committed = repositoryRoot().resolve("docs").resolve("modules");
        List<String> differing = differences(generated, committed);
        if (!differing.isEmpty()) {
            replace(committed, generated);
        }

        assertThat(differing)
                .as("docs/modules did not match the module model; it has been rewritten from it: review and commit it")
                .isEmpty();
    }

    private static Optional<ApplicationModule> declaration(String packageName) {
        try {
            return Optional.ofNullable(Class.forName(packageName + ".package-info").getAnnotation(ApplicationModule.class));
        } catch (ClassNotFoundException noPackageInfo) {
            return Optional.empty();
        }
    }

    private static boolean isComplete(ApplicationModule declared) {
        return !declared.displayName().isBlank()
                && !Arrays.asList(declared.allowedDependencies()).contains(ApplicationModule.OPEN_TOKEN);
    }

    private static boolean mainOrDevSource(Location location) {
        return !location.contains("/test-classes/") || DEV_SOURCE_PACKAGES.stream()
                .anyMatch(dev -> location.contains("/test-classes/" + dev.replace('.', '/') + "/"));
    }

    private static Set<String> usedFromOtherPackages(JavaClasses classes) {
        Set<String> used = new HashSet<>();
        for (JavaClass origin : classes) {
            origin.getDirectDependenciesFromSelf().stream()
                    .filter(dependency -> !samePackage(origin, dependency.getTargetClass()))
                    .forEach(dependency -> used.add(dependency.getTargetClass().getName()));
            origin.getAccessesFromSelf().stream()
                    .filter(access -> !samePackage(origin, access.getTargetOwner()))
                    .flatMap(access -> access.getTarget().resolveMember().stream())
                    .flatMap(ApplicationModulesTest::signatureTypes)
                    .forEach(type -> used.add(type.getName()));
        }
        return used;
    }

    private static Stream<JavaClass> signatureTypes(JavaMember member) {
        Stream<JavaType> types = switch (member) {
            case JavaCodeUnit code -> Stream.concat(Stream.of(code.getReturnType()), code.getParameterTypes().stream());
            case JavaField field -> Stream.of(field.getType());
            default -> Stream.empty();
        };
        return types.flatMap(type -> type.getAllInvolvedRawTypes().stream());
    }

    private static boolean samePackage(JavaClass one, JavaClass other) {
        return one.getPackageName().equals(other.getPackageName());
    }

    /** The page GitHub renders: each module, what it may use, what it uses, and its public face. */
    private static String overview() {
        StringBuilder page = new StringBuilder("""
                # Modules of platform-api

                Generated by `ApplicationModulesTest` from the Spring Modulith model of the compiled classes; do not edit.
                Each module's `package-info.java` declares its name and the modules it may use; everything not listed
                under "public face" is package-private. Diagrams: [all modules](components.puml) (C4, PlantUML) and one
                `module-<name>.puml` per module; canvases (beans, events, properties): `module-<name>.adoc`;
                everything in one page: [all-docs.adoc](all-docs.adoc).

                | module | package | may use | uses | public face |
                |---|---|---|---|---|
                """);
        MODULES.stream()
                .sorted(Comparator.comparing(module -> module.getBasePackage().getName()))
                .forEach(module -> page.append("| %s | `%s` | %s | %s | %s |%n".formatted(
                module.getDisplayName(),
                module.getBasePackage().getName().substring(ROOT_PACKAGE.length() + 1),
                listed(declaration(module.getBasePackage().getName()).map(ApplicationModule::allowedDependencies).orElse(new String[0])),
                listed(module.getDirectDependencies(MODULES).stream()
                        .map(ApplicationModuleDependency::getTargetModule)
                        .map(target -> target.getIdentifier().toString())
                        .toArray(String[]::new)),
                listed(module.getNamedInterfaces().getUnnamedInterface().asJavaClasses()
                        .filter(JavaClass::isTopLevelClass)
                        .map(JavaClass::getSimpleName)
                        .toArray(String[]::new)))));
        return page.toString();
    }

    private static String listed(String[] names) {
        return names.length == 0 ? "—" : new TreeSet<>(Arrays.asList(names)).stream()
                .map(name -> "`" + name + "`")
                .collect(Collectors.joining(", "));
    }

    /**
     * Structurizr writes a diagram's relationships in an order that changes from one JVM to the next; in name order
     * the same model gives the same files.
     */
    private static void sortRelationships(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path diagram : files.filter(file -> file.toString().endsWith(".puml")).toList()) {
                List<String> lines = new ArrayList<>(Files.readAllLines(diagram));
                List<Integer> at = IntStream.range(0, lines.size()).filter(i -> lines.get(i).startsWith("Rel(")).boxed().toList();
                List<String> sorted = at.stream().map(lines::get).sorted().toList();
                for (int i = 0; i < at.size(); i++) {
                    lines.set(at.get(i), sorted.get(i));
                }
                Files.write(diagram, lines);
            }
        }
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docs").resolve("architecture.md"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no docs/architecture.md above " + Path.of("").toAbsolutePath());
    }

    /** Files added, removed or changed, by name. */
    private static List<String> differences(Path generated, Path committed) throws IOException {
        TreeMap<String, String> expected = contents(generated);
        TreeMap<String, String> actual = contents(committed);
        TreeSet<String> names = new TreeSet<>(expected.keySet());
        names.addAll(actual.keySet());
        return names.stream()
                .filter(name -> !expected.getOrDefault(name, "").equals(actual.getOrDefault(name, "")))
                .toList();
    }

    private static TreeMap<String, String> contents(Path folder) throws IOException {
        TreeMap<String, String> files = new TreeMap<>();
        if (!Files.isDirectory(folder)) {
            return files;
        }
        try (Stream<Path> listed = Files.list(folder)) {
            for (Path file : listed.filter(Files::isRegularFile).toList()) {
                files.put(file.getFileName().toString(), Files.readString(file));
            }
        }
        return files;
    }

    private static void replace(Path committed, Path generated) throws IOException {
        Files.createDirectories(committed);
        try (Stream<Path> old = Files.list(committed)) {
            old.filter(Files::isRegularFile).forEach(ApplicationModulesTest::delete);
        }
        try (Stream<Path> fresh = Files.list(generated)) {
            for (Path file : fresh.filter(Files::isRegularFile).toList()) {
                Files.copy(file, committed.resolve(file.getFileName()));
            }
        }
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
