package dev.providers.registry.http;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.providers.registry.problem.FieldError;
import dev.providers.registry.problem.ProblemException;
import dev.providers.registry.problem.ProblemType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one body reader: strict parsing, required and optional fields with limits, every error at once, paths. */
class BodyReaderTest {

    private final JsonBodies bodies = new JsonBodies(new ObjectMapper());

    @Test
    void requiredAndOptionalTextWithinLimits() {
        BodyReader fields = read("{\"name\":\"acme\",\"note\":\"\"}");
        assertEquals("acme", fields.requiredText("name", 1, 4));
        assertEquals("", fields.optionalText("note", 0, 10));
        assertNull(fields.optionalText("missing", 1, 10));
        assertDoesNotThrow(fields::throwIfInvalid);
    }

    @Test
    void lengthsCountCodePoints() {
        BodyReader fields = read("{\"emoji\":\"\uD83D\uDE00\uD83D\uDE00\"}");
        assertEquals("\uD83D\uDE00\uD83D\uDE00", fields.requiredText("emoji", 1, 2));
        assertDoesNotThrow(fields::throwIfInvalid);
    }

    @Test
    void everyBadFieldIsReportedAtOnceInReadingOrder() {
        BodyReader fields = read("""
                {"absent_is_null": null, "number": 3, "empty": "", "short": "ab", "long": "abcdef",
                 "metadata": {"tags": ["ok", 7, " ", "toolong"], "display_name": false},
                 "list": "x", "many": ["a", "b", "c"], "schema": [], "map": {"a": {"resource": 1}, "b": 2}}""");
        assertNull(fields.requiredText("absent_is_null", 1, 10));
        assertNull(fields.requiredText("missing", 1, 10));
        assertNull(fields.requiredText("number", 1, 10));
        assertNull(fields.optionalText("empty", 1, 10));
        assertNull(fields.optionalText("short", 3, 10));
        assertNull(fields.optionalText("long", 0, 5));
        BodyReader metadata = fields.optionalObject("metadata");
        assertNull(metadata.optionalTexts("tags", 0, 5, 3));
        assertNull(metadata.optionalText("display_name", 0, 5));
        assertNull(fields.optionalTexts("list", 0, 5, 3));
        assertNull(fields.optionalTexts("many", 1, 2, 3));
        assertNull(fields.optionalJson("schema"));
        BodyReader map = fields.optionalObject("map");
        assertEquals(List.of("a", "b"), map.keys());
        assertNull(map.member("a").optionalText("resource", 1, 5));
        assertNull(map.member("b"));
        fields.error("name", "is taken");

        ProblemException e = assertThrows(ProblemException.class, fields::throwIfInvalid);
        assertEquals(ProblemType.VALIDATION, e.type());
        assertEquals(
                List.of(
                        new FieldError("absent_is_null", "is required"),
                        new FieldError("missing", "is required"),
                        new FieldError("number", "must be a string, not a number"),
                        new FieldError("empty", "must not be empty"),
                        new FieldError("short", "must be at least 3 characters"),
                        new FieldError("long", "must be at most 5 characters (got 6)"),
                        new FieldError("metadata.tags[1]", "must be a string, not a number"),
                        new FieldError("metadata.tags[2]", "must not be empty"),
                        new FieldError("metadata.tags[3]", "must be at most 3 characters"),
                        new FieldError("metadata.display_name", "must be a string, not a boolean"),
                        new FieldError("list", "must be an array of strings, not a string"),
                        new FieldError("many", "must have 1 to 2 items (got 3)"),
                        new FieldError("schema", "must be an object or null, not an array"),
                        new FieldError("map.a.resource", "must be a string, not a number"),
                        new FieldError("map.b", "must be an object, not a number"),
                        new FieldError("name", "is taken")),
                e.errors());
        assertEquals(
                "16 fields are invalid: absent_is_null, missing, number, empty, short, long, metadata.tags[1], "
                        + "metadata.tags[2], metadata.tags[3], metadata.display_name, list, many, schema, map.a.resource, "
                        + "map.b, name",
                e.detail());
    }

    @Test
    void optionalObjectsAndListsMayBeNull() {
        BodyReader fields = read("{\"metadata\":null,\"tags\":null}");
        assertNull(fields.optionalObject("metadata"));
        assertNull(fields.optionalTexts("tags", 1, 2, 3));
        assertEquals(List.of("x"), read("{\"tags\":[\"x\"]}").optionalTexts("tags", 1, 2, 3));
        assertDoesNotThrow(fields::throwIfInvalid);
    }

    @Test
    void aBodyThatIsNotOneJsonObjectIsMalformed() {
        assertMalformed(null, "the request body is empty; a JSON object is required");
        assertMalformed("", "the request body is empty; a JSON object is required");
        assertMalformed("  ", "the request body is empty; a JSON object is required");
        assertMalformed("[1]", "the request body must be a JSON object, not an array");
        assertMalformed(
                "{\"a\":1,\"a\":2}", "the request body is not valid JSON: a duplicate key at line 1, column 11");
        assertMalformed("{} {}", "the request body is not valid JSON: a syntax error at line 1, column 4");
    }

    @Test
    void anOptionalBodyMayBeLeftOut() {
        assertNull(bodies.readOptional(null));
        assertNull(bodies.readOptional(new byte[0]));
        assertNull(bodies.readOptional(" \r\n\t".getBytes(StandardCharsets.UTF_8)));
        assertEquals(
                "why",
                bodies.readOptional("{\"reason\":\"why\"}".getBytes(StandardCharsets.UTF_8))
                        .optionalText("reason", 0, 10));
    }

    @Test
    void textPostgresCannotStoreIsRefusedAnywhere() {
        ProblemException e = assertThrows(
                ProblemException.class,
                () -> read("{\"a\":\"x\\u0000\",\"b\":[\"\\ud800\"],\"c\":{\"d\\u0000\":1,\"e\":\"\\udc00\"}}"));
        assertEquals(ProblemType.VALIDATION, e.type());
        assertEquals(
                List.of(
                        new FieldError("a", "must not contain NUL characters"),
                        new FieldError("b[0]", "must not contain lone surrogates"),
                        new FieldError("c", "a key must not contain NUL characters"),
                        new FieldError("c.e", "must not contain lone surrogates")),
                e.errors());
    }

    private BodyReader read(String json) {
        return bodies.read(json.getBytes(StandardCharsets.UTF_8));
    }

    private void assertMalformed(String body, String detail) {
        ProblemException e = assertThrows(
                ProblemException.class, () -> bodies.read(body == null ? null : body.getBytes(StandardCharsets.UTF_8)));
        assertEquals(ProblemType.MALFORMED_BODY, e.type());
        assertEquals(detail, e.detail());
    }
}
