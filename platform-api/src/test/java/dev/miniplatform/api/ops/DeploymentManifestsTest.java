package dev.miniplatform.api.ops;

import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.yaml.snakeyaml.Yaml;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps deploy/k8s consistent with the application and its image build: every setting production needs is given
 * (credentials from Secrets), the names of the environment variables bind to the settings they mean, probes and
 * ports are the actuator's and the server's, the Deployment and the migration Job run the image Jib builds, sizes fit.
 * Each check returns what is wrong; {@link #eachCheckNoticesABrokenCorrespondence()} breaks the manifests in memory
 * and proves every check notices.
 */
class DeploymentManifestsTest {

    private static final Path K8S = Path.of("..", "deploy", "k8s");
    private static final Path POM = Path.of("pom.xml");

    /**
     * Spring Boot's own settings with no usable production default (ProductionConfigurationTest starts the app with
     * them); the platform's own settings are found by {@link #platformSettingsBindFromTheDeployment}.
     */
    private static final List<String> REQUIRED_SPRING_SETTINGS = List.of("spring.r2dbc.url", "spring.r2dbc.username",
            "spring.r2dbc.password", "spring.data.redis.host", "spring.mail.host");
    /** Settings whose values are credentials: they must come from a Secret, never from a manifest or ConfigMap. */
    private static final Set<String> SECRET_SETTINGS = Set.of("spring.r2dbc.password", "spring.data.redis.password",
            "spring.mail.password", "spring.flyway.password", "platform.keycloak.admin-client-secret",
            "platform.wallet.replica.password");
    /**
     * Memory of the JVM beyond the heap: metaspace, code cache, GC structures, thread stacks, Netty's direct buffers.
     * Native memory tracking of the image's API node after start committed 228 MB beside a 1 GB heap
     * (docs/operations.md, "Deploying on Kubernetes", sizes); the rest is room for what grows under load.
     */
    private static final DataSize NON_HEAP = DataSize.ofMegabytes(384);

    private static ValidatorFactory validation;
    private static List<Class<?>> settingsClasses;

    @BeforeAll
    static void validation() {
        validation = Validation.buildDefaultValidatorFactory();
    }

    @AfterAll
    static void closeValidation() {
        validation.close();
    }

    @Test
    void theManifestsAgreeWithTheApplicationAndTheImage() throws Exception {
        Manifests manifests = Manifests.load();

        assertThat(check(manifests)).isEmpty();
    }

    @Test
    void eachCheckNoticesABrokenCorrespondence() throws Exception {
        assertThat(broken(m -> probe(m.api(), "livenessProbe").put("path", "/actuator/health/live")))
                .anyMatch(problem -> problem.contains("livenessProbe path"));
        assertThat(broken(m -> env(m.api()).removeIf(e -> "MANAGEMENT_SERVER_PORT".equals(e.get("name")))))
                .anyMatch(problem -> problem.contains("readinessProbe port"));
        assertThat(broken(m -> ports(m.api()).getFirst().put("containerPort", 8081)))
                .anyMatch(problem -> problem.contains("server.port"));
        assertThat(broken(m -> env(m.api()).removeIf(e -> "PLATFORM_KEYCLOAK_ADMINCLIENTSECRET".equals(e.get("name")))))
                .anyMatch(problem -> problem.contains("adminClientSecret"));
        assertThat(broken(m -> renameEnv(m.api(), "PLATFORM_KEYCLOAK_ADMINCLIENTSECRET", "PLATFORM_KEYCLOAK_ADMINSECRET")))
                .anyMatch(problem -> problem.contains("adminClientSecret"));
        assertThat(broken(m -> m.config().put("SPRING_R2DBC_PASSWORD", "in-plain-sight")))
                .anyMatch(problem -> problem.contains("spring.r2dbc.password must come from a Secret"));
        assertThat(broken(m -> m.config().remove("SPRING_DATA_REDIS_HOST")))
                .anyMatch(problem -> problem.contains("spring.data.redis.host"));
        assertThat(broken(m -> container(m.job()).put("image", "mini-program-platform/other")))
                .anyMatch(problem -> problem.contains("image"));
        assertThat(broken(m -> limits(m.api()).put("memory", "1100Mi")))
                .anyMatch(problem -> problem.contains("-Xmx"));
        assertThat(broken(m -> requests(m.api()).put("cpu", "3")))
                .anyMatch(problem -> problem.contains("requests.cpu"));
        assertThat(broken(m -> m.jibPorts().remove("9090")))
                .anyMatch(problem -> problem.contains("Jib ports"));
        assertThat(broken(m -> env(m.api()).add(new LinkedHashMap<>(Map.of("name", "SPRING_FLYWAY_ENABLED", "value", "true")))))
                .anyMatch(problem -> problem.contains("spring.flyway.enabled"));
        assertThat(broken(m -> container(m.job()).put("args", List.of())))
                .anyMatch(problem -> problem.contains("migrate"));
        assertThat(broken(m -> m.pdbSelector().put("app.kubernetes.io/name", "api")))
                .anyMatch(problem -> problem.contains("PodDisruptionBudget"));
        assertThat(broken(m -> m.kustomizations().get(K8S.resolve("migration/kustomization.yaml")).root().remove("components")))
                .anyMatch(problem -> problem.contains("release component"));
        assertThat(broken(m -> m.kustomizations().get(K8S.resolve("kustomization.yaml")).<List<String>>get("resources").add("ingress.yaml")))
                .anyMatch(problem -> problem.contains("ingress.yaml, which does not exist"));
    }

    private static List<String> broken(Breakage breakage) throws Exception {
        Manifests manifests = Manifests.load();
        breakage.apply(manifests);
        return check(manifests);
    }

    // ----------------------------------------------------------------------------------------------------- checks

    private static List<String> check(Manifests m) throws IOException {
        List<String> problems = new ArrayList<>();
        Binder api = m.binder(env(m.api()), true);
        Binder job = m.binder(env(m.job()), false);

        // every setting production needs, bound through Spring's own rules for environment variable names
        for (String setting : REQUIRED_SPRING_SETTINGS) {
            if (api.bind(setting, String.class).map(String::strip).orElse("").isEmpty()) {
                problems.add("the Deployment does not set " + setting);
            }
        }
        problems.addAll(platformSettingsBindFromTheDeployment(api));
        for (String setting : List.of("spring.flyway.url", "spring.flyway.user", "spring.flyway.password")) {
            if (!job.bind(setting, String.class).isBound()) {
                problems.add("the migration Job does not set " + setting);
            }
        }
        problems.addAll(secretsComeFromSecrets("Deployment", m.api(), m.config()));
        problems.addAll(secretsComeFromSecrets("Job", m.job(), m.migrationConfig()));

        // the nodes never migrate (and hold no schema owner credentials); the Job runs the migrate command
        if (api.bind("spring.flyway.enabled", Boolean.class).orElse(true)) {
            problems.add("the Deployment must set spring.flyway.enabled=false (the Job migrates)");
        }
        if (api.bind("spring.flyway.password", String.class).isBound()) {
            problems.add("the Deployment holds the schema owner's password (spring.flyway.password)");
        }
        if (!List.of("migrate").equals(container(m.job()).get("args"))) {
            problems.add("the migration Job must run the image with the argument migrate, not " + container(m.job()).get("args"));
        }

        // ports and probes: the server's port, the actuator's paths on the management port
        int serverPort = api.bind("server.port", Integer.class).orElse(8080);
        int managementPort = api.bind("management.server.port", Integer.class).orElse(serverPort);
        String basePath = api.bind("management.endpoints.web.base-path", String.class).orElse("/actuator");
        if (!portNumber(m.api(), "http").equals(serverPort)) {
            problems.add("container port http is " + portNumber(m.api(), "http") + ", server.port is " + serverPort);
        }
        if (!api.bind("management.endpoint.health.probes.enabled", Boolean.class).orElse(false)) {
            problems.add("management.endpoint.health.probes.enabled is not true: no liveness/readiness groups");
        }
        if (!api.bind("management.endpoints.web.exposure.include", Bindable.setOf(String.class)).orElse(Set.of()).contains("health")) {
            problems.add("the health endpoint is not exposed over HTTP");
        }
        for (String[] probe : List.of(new String[] {"startupProbe", "liveness"}, new String[] {"livenessProbe", "liveness"},
                new String[] {"readinessProbe", "readiness"})) {
            Map<String, Object> httpGet = probe(m.api(), probe[0]);
            String expected = basePath + "/health/" + probe[1];
            if (!expected.equals(httpGet.get("path"))) {
                problems.add(probe[0] + " path is " + httpGet.get("path") + ", the actuator's is " + expected);
            }
            Object port = httpGet.get("port");
            Integer number = port instanceof String name ? portNumber(m.api(), name) : (Integer) port;
            if (!Objects.equals(number, managementPort)) {
                problems.add(probe[0] + " port is " + port + " (" + number + "), the actuator listens on " + managementPort);
            }
        }
        Object targetPort = m.service().<List<Map<String, Object>>>get("spec", "ports").getFirst().get("targetPort");
        if (!"http".equals(targetPort) && !Integer.valueOf(serverPort).equals(targetPort)) {
            problems.add("the Service sends to " + targetPort + ", not the server's port");
        }

        // the image Jib builds, run by both, with the ports and the user the manifests expect
        String image = m.jibImageName();
        for (Map.Entry<String, Doc> workload : Map.of("Deployment", m.api(), "Job", m.job()).entrySet()) {
            if (!image.equals(container(workload.getValue()).get("image"))) {
                problems.add("the " + workload.getKey() + " runs image " + container(workload.getValue()).get("image")
                        + ", Jib builds " + image);
            }
            Object user = workload.getValue().get("spec", "template", "spec", "securityContext", "runAsUser");
            if (!m.jibUser().startsWith(user + ":")) {
                problems.add("the " + workload.getKey() + " runs as " + user + ", the image's user is " + m.jibUser());
            }
        }
        if (!m.releaseImages().equals(List.of(image))) {
            problems.add("the release component names images " + m.releaseImages() + ", Jib builds " + image);
        }
        if (!m.jibPorts().containsAll(List.of(String.valueOf(serverPort), String.valueOf(managementPort)))) {
            problems.add("Jib ports " + m.jibPorts() + " do not expose " + serverPort + " and " + managementPort);
        }

        // kustomize: every file named exists, and both the API and the migration take the image from the release
        for (Map.Entry<Path, Doc> kustomization : m.kustomizations().entrySet()) {
            Path folder = kustomization.getKey().getParent();
            for (String key : List.of("resources", "components")) {
                List<String> entries = kustomization.getValue().get(key);
                for (String entry : entries == null ? List.<String>of() : entries) {
                    if (!Files.exists(folder.resolve(entry))) {
                        problems.add(kustomization.getKey() + " names " + entry + ", which does not exist");
                    }
                }
            }
        }
        for (String root : List.of("kustomization.yaml", "migration/kustomization.yaml")) {
            Doc kustomization = m.kustomizations().get(K8S.resolve(root));
            List<String> components = kustomization == null ? null : kustomization.get("components");
            if (components == null || components.stream().noneMatch(c -> c.endsWith("release"))
                    || kustomization.get("images") != null) {
                problems.add(root + " must take its image from the release component, and name none itself");
            }
        }

        // sizes
        for (Map.Entry<String, Doc> workload : Map.of("Deployment", m.api(), "Job", m.job()).entrySet()) {
            problems.addAll(sizes(workload.getKey(), workload.getValue()));
        }

        // topology
        Map<String, Object> podLabels = m.api().get("spec", "template", "metadata", "labels");
        int replicas = m.api().<Number>get("spec", "replicas").intValue();
        if (replicas < 2) {
            problems.add("the Deployment runs " + replicas + " replica(s): losing one pod would stop the API");
        }
        if (!podLabels.entrySet().containsAll(m.pdbSelector().entrySet())) {
            problems.add("the PodDisruptionBudget selects " + m.pdbSelector() + ", the pods are " + podLabels);
        }
        Map<String, Object> serviceSelector = m.service().get("spec", "selector");
        if (!podLabels.entrySet().containsAll(serviceSelector.entrySet())) {
            problems.add("the Service selects " + serviceSelector + ", the pods are " + podLabels);
        }
        if (m.hpa().<Number>get("spec", "minReplicas").intValue() < 2
                || !m.api().<String>get("metadata", "name").equals(m.hpa().get("spec", "scaleTargetRef", "name"))) {
            problems.add("the HorizontalPodAutoscaler must scale the Deployment, never below 2");
        }
        return problems;
    }

    /**
     * Binds every {@code @ConfigurationProperties} record of the platform from the Deployment's environment and
     * application.yaml, validating as the application does: a required setting without default (the Keycloak
     * secret) or a misspelt variable name fails here as it would fail the start.
     */
    private static List<String> platformSettingsBindFromTheDeployment(Binder binder) {
        BindHandler validating = new ValidationBindHandler(new SpringValidatorAdapter(validation.getValidator()));
        List<String> problems = new ArrayList<>();
        for (Class<?> type : settingsClasses()) {
            ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
            String prefix = annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
            try {
                binder.bindOrCreate(prefix, Bindable.of(type), validating);
            } catch (RuntimeException e) {
                problems.add(type.getSimpleName() + " does not bind from the Deployment: " + rootMessage(e));
            }
        }
        return problems;
    }

    /** The production code's {@code @ConfigurationProperties} types (dev and test code excluded). */
    private static synchronized List<Class<?>> settingsClasses() {
        if (settingsClasses == null) {
            ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
            scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
            settingsClasses = scanner.findCandidateComponents("dev.miniplatform").stream()
                    .map(BeanDefinition::getBeanClassName)
                    .filter(name -> !name.startsWith("dev.miniplatform.devservices.") && !name.startsWith("dev.miniplatform.api.bench.")
                            && !name.startsWith("dev.miniplatform.api.demo."))
                    .<Class<?>>map(DeploymentManifestsTest::load)
                    // not a type bound as a whole, e.g. @ConfigurationProperties on a @Bean method only
                    .filter(type -> type.isAnnotationPresent(ConfigurationProperties.class))
                    .toList();
            assertThat(settingsClasses).as("platform settings classes found").hasSizeGreaterThan(10);
        }
        return settingsClasses;
    }

    private static List<String> secretsComeFromSecrets(String kind, Doc workload, Map<String, Object> config) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> literal = new LinkedHashMap<>(config);
        for (Map<String, Object> variable : env(workload)) {
            if (variable.containsKey("value")) {
                literal.put((String) variable.get("name"), String.valueOf(variable.get("value")));
            }
        }
        Binder plain = new Binder(ConfigurationPropertySources.from(new SystemEnvironmentPropertySource(
                "literal-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, literal)));
        for (String setting : SECRET_SETTINGS) {
            if (plain.bind(setting, String.class).isBound()) {
                problems.add(setting + " must come from a Secret (secretKeyRef), the " + kind + " gives it in plain text");
            }
        }
        return problems;
    }

    private static List<String> sizes(String kind, Doc workload) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> requests = requests(workload);
        Map<String, Object> limits = limits(workload);
        for (String resource : List.of("cpu", "memory")) {
            if (!requests.containsKey(resource) || !limits.containsKey(resource)) {
                problems.add("the " + kind + " lacks requests." + resource + " or limits." + resource);
            } else if (quantity(requests.get(resource)).compareTo(quantity(limits.get(resource))) > 0) {
                problems.add("the " + kind + "'s requests." + resource + " " + requests.get(resource) + " exceeds its limit "
                        + limits.get(resource));
            }
        }
        String options = env(workload).stream()
                .filter(e -> "JAVA_TOOL_OPTIONS".equals(e.get("name")))
                .map(e -> String.valueOf(e.get("value")))
                .findFirst()
                .orElse("");
        Matcher xmx = Pattern.compile("-Xmx(\\d+)([kKmMgG])").matcher(options);
        if (!xmx.find()) {
            problems.add("the " + kind + " sets no -Xmx in JAVA_TOOL_OPTIONS: the heap would follow the image's default");
        } else if (limits.containsKey("memory")) {
            long heap = Long.parseLong(xmx.group(1)) << switch (xmx.group(2).toLowerCase()) {
                case "k" -> 10;
                case "m" -> 20;
                default -> 30;
            };
            BigDecimal needed = BigDecimal.valueOf(heap + (kind.equals("Job") ? NON_HEAP.toBytes() / 2 : NON_HEAP.toBytes()));
            if (needed.compareTo(quantity(limits.get("memory"))) > 0) {
                problems.add("the " + kind + "'s -Xmx" + xmx.group(1) + xmx.group(2) + " plus the JVM's memory beyond the heap does not fit "
                        + "its memory limit " + limits.get("memory"));
            }
        }
        return problems;
    }

    /** Kubernetes quantities: 500m, 2, 1536Mi, 1G. */
    static BigDecimal quantity(Object value) {
        Matcher matcher = Pattern.compile("([0-9.]+)(m|Ki|Mi|Gi|Ti|k|M|G|T)?").matcher(String.valueOf(value));
        assertThat(matcher.matches()).as("quantity %s", value).isTrue();
        BigDecimal number = new BigDecimal(matcher.group(1));
        String unit = matcher.group(2) == null ? "" : matcher.group(2);
        return switch (unit) {
            case "" -> number;
            case "m" -> number.movePointLeft(3);
            case "k" -> number.movePointRight(3);
            case "M" -> number.movePointRight(6);
            case "G" -> number.movePointRight(9);
            case "T" -> number.movePointRight(12);
            case "Ki" -> number.multiply(BigDecimal.valueOf(1L << 10));
            case "Mi" -> number.multiply(BigDecimal.valueOf(1L << 20));
            case "Gi" -> number.multiply(BigDecimal.valueOf(1L << 30));
            default -> number.multiply(BigDecimal.valueOf(1L << 40));
        };
    }

    // ----------------------------------------------------------------------------------------------- the documents

    interface Breakage {
        void apply(Manifests manifests);
    }

    /** A parsed YAML document, navigated by keys. */
    record Doc(Map<String, Object> root) {

        @SuppressWarnings("unchecked")
        <T> T get(String... path) {
            Object node = root;
            for (String key : path) {
                node = ((Map<String, Object>) node).get(key);
            }
            return (T) node;
        }
    }

    record Manifests(Map<Path, Doc> kustomizations, Doc api, Doc job, Doc service, Doc pdb, Doc hpa, Map<String, Object> config,
                     Map<String, Object> migrationConfig, List<String> releaseImages, Element jib, Map<String, String> pomProperties,
                     List<String> jibPorts, PropertySource<?> applicationYaml) {

        static Manifests load() throws Exception {
            Map<String, Doc> byKindAndName = new LinkedHashMap<>();
            Map<Path, Doc> kustomizations = new LinkedHashMap<>();
            try (Stream<Path> files = Files.walk(K8S)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                    try (InputStream in = Files.newInputStream(file)) {
                        for (Object document : new Yaml().loadAll(in)) {
                            @SuppressWarnings("unchecked")
                            Map<String, Object> root = (Map<String, Object>) document;
                            Doc doc = new Doc(root);
                            String name = root.get("metadata") == null ? file.toString() : doc.<String>get("metadata", "name");
                            byKindAndName.put(root.get("kind") + "/" + name, doc);
                            if (file.getFileName().toString().equals("kustomization.yaml")) {
                                kustomizations.put(file, doc);
                            }
                        }
                    }
                }
            }
            Element pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(POM.toFile()).getDocumentElement();
            Map<String, String> properties = new LinkedHashMap<>();
            NodeList propertyNodes = child(pom, "properties").getChildNodes();
            for (int i = 0; i < propertyNodes.getLength(); i++) {
                if (propertyNodes.item(i) instanceof Element property) {
                    properties.put(property.getTagName(), property.getTextContent().strip());
                }
            }
            Element jib = jibPlugin(pom);
            List<String> jibPorts = new ArrayList<>(texts(child(child(child(jib, "configuration"), "container"), "ports")));
            List<String> releaseImages = byKindAndName.get("Component/" + K8S.resolve("release/kustomization.yaml"))
                    .<List<Map<String, Object>>>get("images").stream().map(i -> (String) i.get("name")).toList();
            PropertySource<?> applicationYaml = new YamlPropertySourceLoader()
                    .load("application.yaml", new ClassPathResource("application.yaml")).getFirst();
            return new Manifests(kustomizations, byKindAndName.get("Deployment/platform-api"), byKindAndName.get("Job/platform-migrate"),
                    byKindAndName.get("Service/platform-api"), byKindAndName.get("PodDisruptionBudget/platform-api"),
                    byKindAndName.get("HorizontalPodAutoscaler/platform-api"),
                    byKindAndName.get("ConfigMap/platform-api").get("data"),
                    byKindAndName.get("ConfigMap/platform-migration").get("data"), releaseImages, jib, properties, jibPorts,
                    applicationYaml);
        }

        Map<String, Object> pdbSelector() {
            return pdb.get("spec", "selector", "matchLabels");
        }

        /** {@code to.image} without its tag, with the pom's properties filled in. */
        String jibImageName() {
            String image = child(child(child(jib, "configuration"), "to"), "image").getTextContent().strip();
            String resolved = resolve(image);
            return resolved.substring(0, resolved.lastIndexOf(':'));
        }

        String jibUser() {
            return resolve(child(child(child(jib, "configuration"), "container"), "user").getTextContent().strip());
        }

        private String resolve(String value) {
            Matcher placeholder = Pattern.compile("\\$\\{([^}]+)}").matcher(value);
            StringBuilder resolved = new StringBuilder();
            while (placeholder.find()) {
                String name = placeholder.group(1);
                String replacement = name.equals("project.version") ? "version" : pomProperties.get(name);
                placeholder.appendReplacement(resolved, Matcher.quoteReplacement(Objects.requireNonNull(replacement, name)));
            }
            return placeholder.appendTail(resolved).toString();
        }

        /**
         * What the application sees in a pod: the container's env (Secrets as opaque values), its ConfigMap (for
         * the Deployment; the Job reads the migration ConfigMap), then application.yaml, as Spring orders them.
         */
        Binder binder(List<Map<String, Object>> env, boolean apiNode) {
            Map<String, Object> variables = new LinkedHashMap<>(apiNode ? config : migrationConfig);
            for (Map<String, Object> variable : env) {
                Object value = variable.containsKey("value") ? variable.get("value") : "from-" + secretRef(variable);
                variables.put((String) variable.get("name"), String.valueOf(value));
            }
            // Spring applies its rules for variable names (PLATFORM_KEYCLOAK_ADMINCLIENTSECRET) to sources named so
            StandardEnvironment environment = new StandardEnvironment();
            environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
            environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
            environment.getPropertySources().addLast(new SystemEnvironmentPropertySource("pod-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
            environment.getPropertySources().addLast(applicationYaml);
            return new Binder(ConfigurationPropertySources.get(environment), new PropertySourcesPlaceholdersResolver(environment),
                    ApplicationConversionService.getSharedInstance());
        }

        private static String secretRef(Map<String, Object> variable) {
            @SuppressWarnings("unchecked")
            Map<String, Object> from = (Map<String, Object>) variable.get("valueFrom");
            return String.valueOf(from.values().iterator().next());
        }

        private static Element jibPlugin(Element pom) {
            NodeList plugins = child(child(pom, "build"), "plugins").getElementsByTagName("plugin");
            for (int i = 0; i < plugins.getLength(); i++) {
                Element plugin = (Element) plugins.item(i);
                if ("jib-maven-plugin".equals(child(plugin, "artifactId").getTextContent().strip())) {
                    return plugin;
                }
            }
            throw new AssertionError("no jib-maven-plugin in " + POM.toAbsolutePath());
        }
    }

    private static Element child(Element parent, String tag) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(tag)) {
                return element;
            }
        }
        throw new AssertionError("no <" + tag + "> in <" + parent.getTagName() + ">");
    }

    private static List<String> texts(Element parent) {
        List<String> texts = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element) {
                texts.add(element.getTextContent().strip());
            }
        }
        return texts;
    }

    private static Map<String, Object> container(Doc workload) {
        return workload.<List<Map<String, Object>>>get("spec", "template", "spec", "containers").getFirst();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> env(Doc workload) {
        return (List<Map<String, Object>>) container(workload).get("env");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> ports(Doc workload) {
        return (List<Map<String, Object>>) container(workload).get("ports");
    }

    private static Integer portNumber(Doc workload, String name) {
        return ports(workload).stream()
                .filter(p -> name.equals(p.get("name")))
                .map(p -> (Integer) p.get("containerPort"))
                .findFirst()
                .orElse(null);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> probe(Doc workload, String probe) {
        return (Map<String, Object>) ((Map<String, Object>) container(workload).get(probe)).get("httpGet");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> requests(Doc workload) {
        return (Map<String, Object>) ((Map<String, Object>) container(workload).get("resources")).get("requests");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> limits(Doc workload) {
        return (Map<String, Object>) ((Map<String, Object>) container(workload).get("resources")).get("limits");
    }

    private static void renameEnv(Doc workload, String from, String to) {
        env(workload).stream().filter(e -> from.equals(e.get("name"))).forEach(e -> e.put("name", to));
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return e.getMessage() + (cause == e ? "" : " (" + cause.getMessage() + ")");
    }
}
