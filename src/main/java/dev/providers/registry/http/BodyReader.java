package dev.providers.registry.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * One JSON object of a request body ({@link JsonBodies#read}), read field by field: strictly (no coercion: a number
 * where a string belongs is an error), every bad field recorded under its path ({@code metadata.tags[0]}) rather
 * than only the first, absent and {@code null} the same. A nested object is read by a reader scoped to its path;
 * all scopes of one body share its {@link FieldErrors}.
 */
public final class BodyReader {

    private final ObjectNode node;
    private final String prefix;
    private final FieldErrors errors;

    BodyReader(ObjectNode node, String prefix, FieldErrors errors) {
        this.node = node;
        this.prefix = prefix;
        this.errors = errors;
    }

    /** The object as sent. */
    public ObjectNode node() {
        return node;
    }

    /** The path of {@code key} in the body: {@code "metadata.display_name"}. */
    private String path(String key) {
        return prefix + key;
    }

    /** Records an error of the field {@code key} of this object. */
    public void error(String key, String message) {
        errors.add(path(key), message);
    }

    /** @throws dev.providers.registry.problem.ProblemException 422 with every error of the body, when there is one */
    public void throwIfInvalid() {
        errors.throwIfAny();
    }

    public String requiredText(String key, int minLength, int maxLength) {
        return text(key, true, minLength, maxLength);
    }

    public String optionalText(String key, int minLength, int maxLength) {
        return text(key, false, minLength, maxLength);
    }

    /** A string whose length, in code points, is within the bounds; null when absent or bad. */
    private String text(String key, boolean required, int min, int max) {
        if (required && isAbsent(node.get(key))) {
            error(key, "is required");
            return null;
        }
        JsonNode value = present(key, JsonNode::isTextual, "must be a string, not ");
        if (value == null) {
            return null;
        }
        String text = value.textValue();
        int length = text.codePointCount(0, text.length());
        if (length < min) {
            error(key, min == 1 ? "must not be empty" : "must be at least " + min + " characters");
            return null;
        }
        if (length > max) {
            error(key, "must be at most " + max + " characters (got " + length + ")");
            return null;
        }
        return text;
    }

    /** A list of non-blank strings with bounds on the count and on each item; null when absent or bad. */
    public List<String> optionalTexts(String key, int minItems, int maxItems, int maxLength) {
        JsonNode value = present(key, JsonNode::isArray, "must be an array of strings, not ");
        if (value == null) {
            return null;
        }
        if (value.size() < minItems || value.size() > maxItems) {
            error(key, "must have " + minItems + " to " + maxItems + " items (got " + value.size() + ")");
            return null;
        }
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            String itemKey = key + "[" + i + "]";
            if (!item.isTextual()) {
                error(itemKey, "must be a string, not " + describe(item));
            } else if (item.textValue().isBlank()) {
                error(itemKey, "must not be empty");
            } else if (item.textValue().codePointCount(0, item.textValue().length()) > maxLength) {
                error(itemKey, "must be at most " + maxLength + " characters");
            } else {
                texts.add(item.textValue());
            }
        }
        return texts.size() == value.size() ? texts : null;
    }

    /** A JSON object kept whole (a schema); null when absent or not an object. */
    public ObjectNode optionalJson(String key) {
        return (ObjectNode) present(key, JsonNode::isObject, "must be an object or null, not ");
    }

    /** A nested object read field by field; null when absent or not an object. */
    public BodyReader optionalObject(String key) {
        ObjectNode value = optionalJson(key);
        return value == null ? null : new BodyReader(value, path(key) + ".", errors);
    }

    /** The keys of this object, sorted. */
    public List<String> keys() {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return List.copyOf(new TreeSet<>(keys));
    }

    /** The member {@code key} of a map-like object, read field by field; null (and an error) when not an object. */
    public BodyReader member(String key) {
        JsonNode value = node.get(key);
        if (!value.isObject()) {
            error(key, "must be an object, not " + describe(value));
            return null;
        }
        return new BodyReader((ObjectNode) value, path(key) + ".", errors);
    }

    /** The field {@code key} when present and of its kind; null when absent, null and an error when of another. */
    private JsonNode present(String key, Predicate<JsonNode> kind, String mustBe) {
        JsonNode value = node.get(key);
        if (isAbsent(value)) {
            return null;
        }
        if (!kind.test(value)) {
            error(key, mustBe + describe(value));
            return null;
        }
        return value;
    }

    private static boolean isAbsent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    static String describe(JsonNode node) {
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
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
