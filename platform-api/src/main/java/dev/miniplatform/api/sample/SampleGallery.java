package dev.miniplatform.api.sample;

import dev.miniplatform.api.release.CodePackages;
import dev.miniplatform.model.hashing.Sha256;
import dev.miniplatform.model.release.SemanticVersion;
import dev.miniplatform.model.template.ExtConfigSchema;
import dev.miniplatform.model.validation.FieldError;
import dev.miniplatform.model.validation.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The samples shipped in the jar under {@code samples/<id>/<version>/}: {@code sample.json} (texts, industry),
 * {@code ext-schema.json} (the settings, each with a default) and {@code package/} (the mini program's files).
 * Everything is read, zipped ({@link SampleZip}) and checked once at start-up, before the server takes requests: a
 * sample that would not pass the upload checks, whose schema the template checks refuse, or whose defaults do not
 * satisfy its own schema stops the start instead of reaching anyone. A few kilobytes each, held in memory.
 */
@Component
public class SampleGallery {

    private static final Logger log = LoggerFactory.getLogger(SampleGallery.class);

    static final String ROOT = "samples/";
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{1,39}");
    private static final Comparator<Sample> ORDER = Comparator.comparing(Sample::id)
            .thenComparing(Sample::version, Comparator.reverseOrder());

    private final List<Sample> samples;

    SampleGallery(CodePackages packages, JsonMapper json) throws IOException {
        long started = System.nanoTime();
        ResourcePatternResolver resources = new PathMatchingResourcePatternResolver(SampleGallery.class.getClassLoader());
        List<Sample> loaded = new ArrayList<>();
        for (Resource metadata : resources.getResources("classpath:" + ROOT + "*/*/sample.json")) {
            Sample sample = load(metadata, json, resources);
            packages.inspectBuilt(sample.zip());
            if (loaded.stream().anyMatch(other -> other.reference().equals(sample.reference()))) {
                throw new IllegalStateException("sample " + sample.reference() + " is on the classpath twice");
            }
            loaded.add(sample);
        }
        loaded.sort(ORDER);
        this.samples = List.copyOf(loaded);
        log.info("Sample gallery: {} sample versions ({} bytes zipped) built and checked in {} ms",
                samples.size(), samples.stream().mapToInt(Sample::size).sum(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** Every version of every sample: by id, highest version first. */
    public List<Sample> all() {
        return samples;
    }

    /** The sample version, or a 404 for an unknown id or version. */
    public Mono<Sample> find(String id, String version) {
        return Mono.justOrEmpty(samples.stream()
                        .filter(sample -> sample.id().equals(id) && sample.version().toString().equals(version))
                        .findFirst())
                .switchIfEmpty(Mono.error(() -> new NotFoundException("Sample")));
    }

    private static Sample load(Resource metadata, JsonMapper json, ResourcePatternResolver resources) throws IOException {
        String url = metadata.getURL().toString();
        String[] path = url.substring(url.lastIndexOf(ROOT) + ROOT.length()).split("/");
        String id = path[0];
        if (!ID.matcher(id).matches()) {
            throw new IllegalStateException("sample id '%s': lower-case letters, digits and hyphens".formatted(id));
        }
        SemanticVersion version = SemanticVersion.parse("version", path[1]);
        String base = ROOT + id + "/" + path[1] + "/";
        JsonNode about = json.readTree(read(metadata));
        String schemaText = new String(read(resources.getResource("classpath:" + base + "ext-schema.json")), StandardCharsets.UTF_8);
        ExtConfigSchema schema = ExtConfigSchema.parse("extSchema", schemaText);
        JsonNode defaults = defaults(json.readTree(schemaText), json);
        List<FieldError> invalid = schema.check("extDefaults", defaults);
        if (!invalid.isEmpty()) {
            throw new IllegalStateException("sample %s@%s: its schema's defaults are not valid against it: %s"
                    .formatted(id, version, invalid));
        }
        SortedMap<String, byte[]> files = files(base + "package/", resources);
        byte[] zip = SampleZip.of(files);
        return new Sample(id, version, texts(about, "name"), texts(about, "description"), about.get("industry").asString(),
                pages(json.readTree(files.get("app.json"))), schema, json.writeValueAsString(defaults), zip,
                Sha256.hexOf(zip));
    }

    /**
     * The ext config of the schema's defaults: each property of an object schema that has a {@code default} takes
     * it; one without a default but with properties of its own gets the object of those.
     */
    static JsonNode defaults(JsonNode schema, JsonMapper json) {
        ObjectNode config = json.createObjectNode();
        JsonNode properties = schema.path("properties");
        for (Map.Entry<String, JsonNode> property : properties.properties()) {
            JsonNode value = property.getValue();
            if (value.has("default")) {
                config.set(property.getKey(), value.get("default"));
            } else if (value.path("properties").isObject()) {
                config.set(property.getKey(), defaults(value, json));
            }
        }
        return config;
    }

    /** The package's files by their path inside it, whether the classpath is a directory or the jar. */
    private static SortedMap<String, byte[]> files(String packageBase, ResourcePatternResolver resources) throws IOException {
        SortedMap<String, byte[]> files = new TreeMap<>();
        for (Resource file : resources.getResources("classpath:" + packageBase + "**")) {
            String url = file.getURL().toString();
            if (url.endsWith("/") || !file.isReadable()) {
                continue; // a directory: the zip has none (its entries' names say where they are)
            }
            String name = url.substring(url.lastIndexOf(packageBase) + packageBase.length());
            if (files.put(name, read(file)) != null) {
                throw new IllegalStateException("the sample package at %s holds %s twice".formatted(packageBase, name));
            }
        }
        if (!files.containsKey("app.json")) {
            throw new IllegalStateException("the sample package at " + packageBase + " has no app.json");
        }
        return files;
    }

    private static Map<String, String> texts(JsonNode about, String field) {
        Map<String, String> texts = new TreeMap<>();
        about.get(field).properties().forEach(text -> texts.put(text.getKey(), text.getValue().asString()));
        if (!texts.keySet().containsAll(List.of("en-US", "zh-CN"))) {
            throw new IllegalStateException("a sample's %s is given in en-US and zh-CN".formatted(field));
        }
        return Map.copyOf(texts);
    }

    private static List<String> pages(JsonNode manifest) {
        List<String> pages = new ArrayList<>();
        manifest.get("pages").forEach(page -> pages.add(page.asString()));
        return List.copyOf(pages);
    }

    private static byte[] read(Resource resource) {
        try (InputStream in = resource.getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
