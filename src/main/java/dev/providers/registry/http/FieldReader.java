package dev.providers.registry.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.providers.registry.problem.FieldError;

import java.util.ArrayList;
import java.util.List;

/**
 * Strict, error-collecting reads of JSON fields: no coercion (a number where a string belongs is an error), every
 * bad field reported, not only the first. Absent and {@code null} are the same.
 */
public final class FieldReader {

    private final List<FieldError> errors = new ArrayList<>();

    public List<FieldError> errors() {
        return errors;
    }

    public void error(String field, String message) {
        errors.add(new FieldError(field, message));
    }

    public static boolean isAbsent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    public String string(ObjectNode parent, String key, String path, boolean required, int min, int max) {
        JsonNode node = parent.get(key);
        if (isAbsent(node)) {
            if (required) {
                error(path, "is required");
            }
            return null;
        }
        if (!node.isTextual()) {
            error(path, "must be a string, not " + describe(node));
            return null;
        }
        String value = node.textValue();
        int length = value.codePointCount(0, value.length());
        if (length < min) {
            error(path, min == 1 ? "must not be empty" : "must be at least " + min + " characters");
            return null;
        }
        if (length > max) {
            error(path, "must be at most " + max + " characters (got " + length + ")");
            return null;
        }
        return value;
    }

    public ObjectNode object(ObjectNode parent, String key, String path) {
        JsonNode node = parent.get(key);
        if (isAbsent(node)) {
            return null;
        }
        if (!node.isObject()) {
            error(path, "must be an object or null, not " + describe(node));
            return null;
        }
        return (ObjectNode) node;
    }

    /** A list of strings with bounds on the count and on each item. */
    public List<String> strings(ObjectNode parent, String key, String path, int minItems, int maxItems, int maxLength,
            boolean nonEmptyItems) {
        JsonNode node = parent.get(key);
        if (isAbsent(node)) {
            return null;
        }
        if (!node.isArray()) {
            error(path, "must be an array of strings, not " + describe(node));
            return null;
        }
        if (node.size() < minItems || node.size() > maxItems) {
            error(path, "must have " + minItems + " to " + maxItems + " items (got " + node.size() + ")");
            return null;
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (!item.isTextual()) {
                error(path + "[" + i + "]", "must be a string, not " + describe(item));
                continue;
            }
            String value = item.textValue();
            if (nonEmptyItems && value.isBlank()) {
                error(path + "[" + i + "]", "must not be empty");
            } else if (value.codePointCount(0, value.length()) > maxLength) {
                error(path + "[" + i + "]", "must be at most " + maxLength + " characters");
            } else {
                values.add(value);
            }
        }
        return values.size() == node.size() ? values : null;
    }

    public static String describe(JsonNode node) {
        if (node.isTextual()) {
            return "a string";
        }
        if (node.isNumber()) {
            return "a number";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isObject()) {
            return "an object";
        }
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** PostgreSQL text cannot hold NUL, and lone surrogates are not Unicode: refused anywhere in the body. */
    public void rejectUnstorableText(JsonNode node, String path) {
        if (node.isTextual()) {
            String problem = unstorable(node.textValue());
            if (problem != null) {
                error(path, problem);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                rejectUnstorableText(node.get(i), path + "[" + i + "]");
            }
        } else if (node.isObject()) {
            var fields = node.fields();
            while (fields.hasNext()) {
                var entry = fields.next();
                String child = path.isEmpty() ? entry.getKey() : path + "." + entry.getKey();
                String keyProblem = unstorable(entry.getKey());
                if (keyProblem != null) {
                    error(path.isEmpty() ? "(key)" : path, "a key " + keyProblem.replace("must not", "must not"));
                }
                rejectUnstorableText(entry.getValue(), keyProblem != null ? path : child);
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
