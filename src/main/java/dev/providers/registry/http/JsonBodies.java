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
 * The one way to read a request body: strictly as a JSON object (duplicate keys, trailing data, invalid UTF-8 and
 * non-objects are a 400 {@code malformed-body}; NUL and lone surrogates anywhere are a 422), then field by field
 * through the {@link BodyReader} it answers.
 */
@ApplicationScoped
public class JsonBodies {

    private static final String EMPTY = "the request body is empty; a JSON object is required";

    private final ObjectReader reader;

    public JsonBodies(ObjectMapper mapper) {
        this.reader = mapper.reader()
                .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** A body that must be there. */
    public BodyReader read(byte[] body) {
        if (body == null || body.length == 0) {
            throw new ProblemException(ProblemType.MALFORMED_BODY, EMPTY);
        }
        return parse(body);
    }

    /** A body that may be left out (no bytes, or only white space): then {@code null}. */
    public BodyReader readOptional(byte[] body) {
        return body == null || isBlank(body) ? null : parse(body);
    }

    private BodyReader parse(byte[] body) {
        JsonNode root;
        try {
            root = reader.readTree(body);
        } catch (IOException e) {
            throw new ProblemException(
                    ProblemType.MALFORMED_BODY, "the request body is not valid JSON: " + MalformedJson.describe(e));
        }
        if (root == null || root.isMissingNode()) {
            throw new ProblemException(ProblemType.MALFORMED_BODY, EMPTY);
        }
        if (!root.isObject()) {
            throw new ProblemException(
                    ProblemType.MALFORMED_BODY,
                    "the request body must be a JSON object, not " + BodyReader.describe(root));
        }
        FieldErrors unstorable = new FieldErrors();
        rejectUnstorableText(root, "", unstorable);
        unstorable.throwIfAny();
        return new BodyReader((ObjectNode) root, "", new FieldErrors());
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    /** PostgreSQL text cannot hold NUL, and lone surrogates are not Unicode: refused anywhere in the body. */
    private static void rejectUnstorableText(JsonNode node, String path, FieldErrors errors) {
        if (node.isTextual()) {
            String problem = unstorable(node.textValue());
            if (problem != null) {
                errors.add(path, problem);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                rejectUnstorableText(node.get(i), path + "[" + i + "]", errors);
            }
        } else if (node.isObject()) {
            var fields = node.fields();
            while (fields.hasNext()) {
                var entry = fields.next();
                String child = path.isEmpty() ? entry.getKey() : path + "." + entry.getKey();
                String keyProblem = unstorable(entry.getKey());
                if (keyProblem != null) {
                    errors.add(path.isEmpty() ? "(key)" : path, "a key " + keyProblem);
                }
                rejectUnstorableText(entry.getValue(), keyProblem != null ? path : child, errors);
            }
        }
    }

    private static String unstorable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return "must not contain NUL characters";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "must not contain lone surrogates";
            }
            if (Character.isLowSurrogate(c)) {
                return "must not contain lone surrogates";
            }
        }
        return null;
    }
}
