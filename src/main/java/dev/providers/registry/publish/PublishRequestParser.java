package dev.providers.registry.publish;

import static dev.providers.registry.publish.WheelProviderVersionCreate.CHANGELOG_MAX;
import static dev.providers.registry.publish.WheelProviderVersionCreate.ENTRYPOINT_ITEMS_MAX;
import static dev.providers.registry.publish.WheelProviderVersionCreate.ENTRYPOINT_ITEM_MAX;
import static dev.providers.registry.publish.WheelProviderVersionCreate.NAME_MAX;
import static dev.providers.registry.publish.WheelProviderVersionCreate.ORGANIZATION_ID_MAX;
import static dev.providers.registry.publish.WheelProviderVersionCreate.PACKAGE_NAME_MAX;
import static dev.providers.registry.publish.WheelProviderVersionCreate.SCHEMA_DESCRIPTION_MAX;
import static dev.providers.registry.publish.WheelProviderVersionCreate.SCHEMA_NAME_MAX;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.providers.registry.auth.Caller;
import dev.providers.registry.catalog.ProviderFields;
import dev.providers.registry.http.BodyReader;
import dev.providers.registry.http.JsonBodies;
import dev.providers.registry.identity.Segments;
import dev.providers.registry.identity.SemVer;
import dev.providers.registry.identity.WheelUrl;
import dev.providers.registry.problem.ProblemException;
import dev.providers.registry.problem.ProblemType;
import dev.providers.registry.wheel.WheelFileName;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
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
        BodyReader fields = bodies.read(body);

        String[] namespace = namespace(fields, fields.requiredText("name", 1, NAME_MAX), caller);
        SemVer version = version(fields, fields.requiredText("version", 1, Integer.MAX_VALUE));
        String rawUrl = fields.requiredText("wheel_url", 1, Integer.MAX_VALUE);
        WheelUrl wheelUrl = null;
        WheelFileName fileName = null;
        if (rawUrl != null) {
            try {
                wheelUrl = WheelUrl.normalize(rawUrl);
                fileName = WheelFileName.parse(wheelUrl.fileName());
                checkFileVersion(fields, "wheel_url", fileName, version);
            } catch (IllegalArgumentException e) {
                fields.error("wheel_url", e.getMessage());
            }
        }
        return rest(fields, caller, namespace, version, wheelUrl, fileName);
    }

    /**
     * The upload route's two parts: the {@code metadata} field (the JSON body of the URL route without
     * {@code wheel_url}; a {@code wheel_url} in it is ignored like any unknown field) and the file name of the
     * {@code wheel} part. Every bad field is reported at once, the file name's as field {@code wheel}; a metadata
     * field that is not a JSON object is a 422 on field {@code metadata} (the request body itself is multipart).
     */
    public PublishCommand parseUpload(byte[] metadata, String uploadedFileName, Caller caller) {
        BodyReader fields;
        try {
            fields = bodies.read(metadata);
        } catch (ProblemException e) {
            if (e.type() != ProblemType.MALFORMED_BODY) {
                throw e;
            }
            throw ProblemException.validation("metadata", e.detail().replace("the request body", "the metadata field"));
        }
        String[] namespace = namespace(fields, fields.requiredText("name", 1, NAME_MAX), caller);
        SemVer version = version(fields, fields.requiredText("version", 1, Integer.MAX_VALUE));
        WheelFileName fileName = null;
        if (uploadedFileName == null || uploadedFileName.isEmpty()) {
            fields.error("wheel", "the wheel part has no file name; send the wheel's PEP 427 file name");
        } else {
            try {
                fileName = WheelFileName.parse(uploadedFileName);
                checkFileVersion(fields, "wheel", fileName, version);
            } catch (IllegalArgumentException e) {
                fields.error("wheel", e.getMessage());
            }
        }
        return rest(fields, caller, namespace, version, null, fileName);
    }

    private static void checkFileVersion(BodyReader fields, String field, WheelFileName fileName, SemVer version) {
        if (version != null && version.pep440() != null && !fileName.versionEquals(version.pep440())) {
            fields.error(
                    field,
                    "the wheel file name's version '" + fileName.version() + "' differs from version '" + version.text()
                            + "' (PEP 440 form '" + version.pep440() + "')");
        }
    }

    /** The fields both routes read alike, then the command, or a 422 listing every bad field. */
    private PublishCommand rest(
            BodyReader fields,
            Caller caller,
            String[] namespace,
            SemVer version,
            WheelUrl wheelUrl,
            WheelFileName fileName) {
        String organizationId = fields.optionalText("organization_id", 1, ORGANIZATION_ID_MAX);
        if (organizationId != null && caller.orgId() != null && !organizationId.equals(caller.orgId())) {
            throw new ProblemException(
                    ProblemType.FORBIDDEN_NAMESPACE, "organization_id does not match the organization of your token");
        }
        if (organizationId != null && caller.orgId() == null && !caller.isAnonymous()) {
            throw new ProblemException(
                    ProblemType.FORBIDDEN_NAMESPACE, "organization_id was sent but the token carries no organization");
        }
        String sha256 = fields.optionalText("sha256", 64, 64);
        if (sha256 != null && !SHA256.matcher(sha256).matches()) {
            fields.error("sha256", "must be 64 lower-case hexadecimal characters");
            sha256 = null;
        }
        String packageName = fields.optionalText("package_name", 1, PACKAGE_NAME_MAX);
        if (packageName != null && !Segments.isDottedPythonIdentifier(packageName)) {
            fields.error("package_name", "must be a dotted Python identifier such as 'my_provider'");
        }
        JsonNode schemas = schemas(fields, namespace == null ? null : namespace[1]);
        ObjectNode configSchema = fields.optionalJson("config_schema");
        ObjectNode outputsSchema = fields.optionalJson("outputs_schema");
        PublishCommand.CatalogMetadata metadata = metadata(fields);
        String changelog = fields.optionalText("changelog", 0, CHANGELOG_MAX);
        List<String> entrypoint = fields.optionalTexts("entrypoint", 1, ENTRYPOINT_ITEMS_MAX, ENTRYPOINT_ITEM_MAX);

        fields.throwIfInvalid();
        return new PublishCommand(
                namespace[0],
                namespace[1],
                version,
                wheelUrl,
                fileName,
                sha256,
                packageName,
                schemas,
                configSchema,
                outputsSchema,
                metadata,
                changelog,
                entrypoint);
    }

    /** {@code "prefix/name"}, or a legacy short name that resolves to the caller's organization slug. */
    private String[] namespace(BodyReader fields, String name, Caller caller) {
        if (name == null) {
            return null;
        }
        String[] parts = name.split("/", -1);
        try {
            if (parts.length == 1) {
                if (caller.orgSlug() == null) {
                    fields.error("name", "a short name needs an organization in the token; send \"prefix/name\"");
                    return null;
                }
                return new String[] {caller.orgSlug(), Segments.normalizeSegment(parts[0])};
            }
            if (parts.length != 2) {
                fields.error("name", "must be \"prefix/name\" or a short name");
                return null;
            }
            return new String[] {Segments.normalizeSegment(parts[0]), Segments.normalizeSegment(parts[1])};
        } catch (IllegalArgumentException e) {
            fields.error("name", e.getMessage());
            return null;
        }
    }

    private static SemVer version(BodyReader fields, String text) {
        if (text == null) {
            return null;
        }
        try {
            SemVer version = SemVer.parse(text);
            version.pep440();
            return version;
        } catch (IllegalArgumentException e) {
            fields.error("version", e.getMessage());
            return null;
        }
    }

    /** {@code schemas} (or legacy {@code resource_schemas}) in response form: a list sorted by resource type. */
    private static JsonNode schemas(BodyReader fields, String shortName) {
        BodyReader current = fields.optionalObject("schemas");
        BodyReader legacy = fields.optionalObject("resource_schemas");
        if (current != null && legacy != null && !current.node().equals(legacy.node())) {
            fields.error("resource_schemas", "differs from schemas; send one of them");
            return null;
        }
        BodyReader source = current != null ? current : legacy;
        if (source == null) {
            return null;
        }
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        for (String resourceType : source.keys()) {
            BodyReader entry = source.member(resourceType);
            if (entry == null) {
                continue;
            }
            String provider = entry.optionalText("provider", 1, SCHEMA_NAME_MAX);
            String resource = entry.optionalText("resource", 1, SCHEMA_NAME_MAX);
            if (resource != null && !resource.equals(resourceType)) {
                entry.error("resource", "must equal its key '" + resourceType + "' when given");
            }
            String description = entry.optionalText("description", 0, SCHEMA_DESCRIPTION_MAX);
            ObjectNode config = entry.optionalJson("config_schema");
            ObjectNode outputs = entry.optionalJson("outputs_schema");
            ObjectNode out = list.addObject();
            out.put("provider", provider != null ? provider : shortName);
            out.put("resource", resourceType);
            out.put("description", description);
            out.set("config_schema", config);
            out.set("outputs_schema", outputs);
        }
        return list;
    }

    private static PublishCommand.CatalogMetadata metadata(BodyReader fields) {
        BodyReader metadata = fields.optionalObject("metadata");
        if (metadata == null) {
            return null;
        }
        ProviderFields.Display display = ProviderFields.read(metadata);
        return new PublishCommand.CatalogMetadata(
                display.displayName(), display.description(), display.iconUrl(), display.tags());
    }
}
