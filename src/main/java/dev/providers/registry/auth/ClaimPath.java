package dev.providers.registry.auth;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Reads a claim named by a dotted JSON path, such as {@code o.slg} in Clerk v2 session tokens. */
final class ClaimPath {

    private ClaimPath() {}

    static String read(JsonWebToken token, String path) {
        String[] parts = path.split("\\.");
        Object value = token.getClaim(parts[0]);
        for (int i = 1; i < parts.length && value != null; i++) {
            value = child(value, parts[i]);
        }
        return text(value);
    }

    private static Object child(Object value, String key) {
        if (value instanceof JsonObject object) {
            return object.get(key);
        }
        if (value instanceof Map<?, ?> map) {
            return map.get(key);
        }
        return null;
    }

    private static String text(Object value) {
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        String text;
        if (value instanceof JsonString string) {
            text = string.getString();
        } else if (value instanceof JsonNumber number) {
            text = number.toString();
        } else if (value instanceof String || value instanceof Number) {
            text = value.toString();
        } else {
            return null;
        }
        return text.isBlank() ? null : text;
    }
}
