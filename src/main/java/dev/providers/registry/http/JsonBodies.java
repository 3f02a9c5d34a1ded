package dev.providers.registry.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.providers.registry.problem.ProblemException;
import dev.providers.registry.problem.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;

/**
 * Reads request bodies as JSON objects, strictly: duplicate keys, trailing data, invalid UTF-8 and non-objects
 * are a 400 {@code malformed-body}; NUL and lone surrogates anywhere are a 422.
 */
@ApplicationScoped
public class JsonBodies {

    private final ObjectReader reader;

    public JsonBodies(ObjectMapper mapper) {
        this.reader = mapper.reader()
                .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** The body as an object; {@code null} when the body is empty and {@code optional}. */
    public ObjectNode object(byte[] body, boolean optional) {
        JsonNode root;
        if (body == null || body.length == 0) {
            if (optional) {
                return null;
            }
            throw new ProblemException(ProblemType.MALFORMED_BODY, "the request body is empty; a JSON object is required");
        }
        try {
            root = reader.readTree(body);
        } catch (IOException e) {
            throw new ProblemException(ProblemType.MALFORMED_BODY, "the request body is not valid JSON: "
                    + MalformedJson.describe(e));
        }
        if (root == null || root.isMissingNode()) {
            throw new ProblemException(ProblemType.MALFORMED_BODY, "the request body is empty; a JSON object is required");
        }
        if (!root.isObject()) {
            throw new ProblemException(ProblemType.MALFORMED_BODY,
                    "the request body must be a JSON object, not " + FieldReader.describe(root));
        }
        FieldReader check = new FieldReader();
        check.rejectUnstorableText(root, "");
        if (!check.errors().isEmpty()) {
            throw ProblemException.validation(check.errors());
        }
        return (ObjectNode) root;
    }
}
