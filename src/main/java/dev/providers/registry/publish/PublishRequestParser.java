package dev.providers.registry.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.providers.registry.auth.Caller;
import dev.providers.registry.catalog.ProviderFields;
import dev.providers.registry.http.FieldReader;
import dev.providers.registry.http.JsonBodies;
import dev.providers.registry.identity.Segments;
import dev.providers.registry.identity.SemVer;
import dev.providers.registry.wheel.WheelFileName;
import dev.providers.registry.identity.WheelUrl;
import dev.providers.registry.problem.ProblemException;
import dev.providers.registry.problem.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads a {@code WheelProviderVersionCreate} body strictly: both payload shapes (current {@code "org/name"} and
 * legacy short name + {@code organization_id} + {@code resource_schemas}), unknown fields ignored, every bad field
 * reported at once (422), malformed JSON, duplicate keys and non-objects refused (400).
 */
@ApplicationScoped
public class PublishRequestParser {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final JsonBodies bodies;

    public PublishRequestParser(JsonBodies bodies) {
        this.bodies = bodies;
    }

    public PublishCommand parse(byte[] body, Caller caller) {
        ObjectNode root = bodies.object(body, false);
        FieldReader f = new FieldReader();

        String[] namespace = namespace(f, f.string(root, "name", "name", true, 1, 200), caller);
        SemVer version = version(f, f.string(root, "version", "version", true, 1, Integer.MAX_VALUE));
        String rawUrl = f.string(root, "wheel_url", "wheel_url", true, 1, Integer.MAX_VALUE);
        WheelUrl wheelUrl = null;
        WheelFileName fileName = null;
        if (rawUrl != null) {
            try {
                wheelUrl = WheelUrl.normalize(rawUrl);
                fileName = WheelFileName.parse(wheelUrl.fileName());
                if (version != null && version.pep440() != null && !fileName.versionEquals(version.pep440())) {
                    f.error("wheel_url", "the wheel file name's version '" + fileName.version()
                            + "' differs from version '" + version.text() + "' (PEP 440 form '" + version.pep440() + "')");
                }
            } catch (IllegalArgumentException e) {
                f.error("wheel_url", e.getMessage());
            }
        }
        String organizationId = f.string(root, "organization_id", "organization_id", false, 1, 200);
        if (organizationId != null && caller.orgId() != null && !organizationId.equals(caller.orgId())) {
            throw new ProblemException(ProblemType.FORBIDDEN_NAMESPACE,
                    "organization_id does not match the organization of your token");
        }
        if (organizationId != null && caller.orgId() == null && !caller.isAnonymous()) {
            throw new ProblemException(ProblemType.FORBIDDEN_NAMESPACE,
                    "organization_id was sent but the token carries no organization");
        }
        String sha256 = f.string(root, "sha256", "sha256", false, 64, 64);
        if (sha256 != null && !SHA256.matcher(sha256).matches()) {
            f.error("sha256", "must be 64 lower-case hexadecimal characters");
            sha256 = null;
        }
        String packageName = f.string(root, "package_name", "package_name", false, 1, 200);
        if (packageName != null && !Segments.isDottedPythonIdentifier(packageName)) {
            f.error("package_name", "must be a dotted Python identifier such as 'my_provider'");
        }
        JsonNode schemas = schemas(f, root, namespace == null ? null : namespace[1]);
        ObjectNode configSchema = f.object(root, "config_schema", "config_schema");
        ObjectNode outputsSchema = f.object(root, "outputs_schema", "outputs_schema");
        PublishCommand.CatalogMetadata metadata = metadata(f, root);
        String changelog = f.string(root, "changelog", "changelog", false, 0, 20_000);
        List<String> entrypoint = f.strings(root, "entrypoint", "entrypoint", 1, 32, 1_000, true);

        if (!f.errors().isEmpty()) {
            throw ProblemException.validation(f.errors());
        }
        return new PublishCommand(namespace[0], namespace[1], version, wheelUrl, fileName, sha256, packageName,
                schemas, configSchema, outputsSchema, metadata, changelog, entrypoint);
    }

    /** {@code "prefix/name"}, or a legacy short name that resolves to the caller's organization slug. */
    private String[] namespace(FieldReader f, String name, Caller caller) {
        if (name == null) {
            return null;
        }
        String[] parts = name.split("/", -1);
        try {
            if (parts.length == 1) {
                if (caller.orgSlug() == null) {
                    f.error("name", "a short name needs an organization in the token; send \"prefix/name\"");
                    return null;
                }
                return new String[] {caller.orgSlug(), Segments.normalizeSegment(parts[0])};
            }
            if (parts.length != 2) {
                f.error("name", "must be \"prefix/name\" or a short name");
                return null;
            }
            return new String[] {Segments.normalizeSegment(parts[0]), Segments.normalizeSegment(parts[1])};
        } catch (IllegalArgumentException e) {
            f.error("name", e.getMessage());
            return null;
        }
    }

    private static SemVer version(FieldReader f, String text) {
        if (text == null) {
            return null;
        }
        try {
            SemVer version = SemVer.parse(text);
            version.pep440();
            return version;
        } catch (IllegalArgumentException e) {
            f.error("version", e.getMessage());
            return null;
        }
    }

    /** {@code schemas} (or legacy {@code resource_schemas}) in response form: a list sorted by resource type. */
    private static JsonNode schemas(FieldReader f, ObjectNode root, String shortName) {
        ObjectNode current = f.object(root, "schemas", "schemas");
        ObjectNode legacy = f.object(root, "resource_schemas", "resource_schemas");
        if (current != null && legacy != null && !current.equals(legacy)) {
            f.error("resource_schemas", "differs from schemas; send one of them");
            return null;
        }
        ObjectNode source = current != null ? current : legacy;
        String field = current != null ? "schemas" : "resource_schemas";
        if (source == null) {
            return null;
        }
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        Map<String, JsonNode> sorted = new TreeMap<>();
        source.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
        for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
            String path = field + "." + e.getKey();
            if (!e.getValue().isObject()) {
                f.error(path, "must be an object, not " + FieldReader.describe(e.getValue()));
                continue;
            }
            ObjectNode entry = (ObjectNode) e.getValue();
            String provider = f.string(entry, "provider", path + ".provider", false, 1, 200);
            String resource = f.string(entry, "resource", path + ".resource", false, 1, 200);
            if (resource != null && !resource.equals(e.getKey())) {
                f.error(path + ".resource", "must equal its key '" + e.getKey() + "' when given");
            }
            String description = f.string(entry, "description", path + ".description", false, 0, 20_000);
            ObjectNode config = f.object(entry, "config_schema", path + ".config_schema");
            ObjectNode outputs = f.object(entry, "outputs_schema", path + ".outputs_schema");
            ObjectNode out = list.addObject();
            out.put("provider", provider != null ? provider : shortName);
            out.put("resource", e.getKey());
            out.put("description", description);
            out.set("config_schema", config);
            out.set("outputs_schema", outputs);
        }
        return list;
    }

    private static PublishCommand.CatalogMetadata metadata(FieldReader f, ObjectNode root) {
        ObjectNode node = f.object(root, "metadata", "metadata");
        if (node == null) {
            return null;
        }
        ProviderFields.Display display = ProviderFields.read(f, node, "metadata.");
        return new PublishCommand.CatalogMetadata(display.displayName(), display.description(), display.iconUrl(),
                display.tags());
    }
}
