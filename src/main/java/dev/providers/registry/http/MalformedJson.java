package dev.providers.registry.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;

/** Describes a JSON syntax error by position only: the detail never echoes the bytes that were sent. */
final class MalformedJson {

    private MalformedJson() {}

    static String describe(IOException e) {
        String what = e.getMessage() != null && e.getMessage().contains("Duplicate field")
                ? "a duplicate key"
                : e.getMessage() != null && e.getMessage().toLowerCase().contains("nesting depth")
                        ? "nesting too deep"
                        : e.getMessage() != null && e.getMessage().contains("UTF") ? "invalid UTF-8" : "a syntax error";
        if (e instanceof JsonProcessingException jpe && jpe.getLocation() != null) {
            JsonLocation at = jpe.getLocation();
            return what + " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        }
        return what;
    }
}
