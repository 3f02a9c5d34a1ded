package dev.providers.registry.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Multipart bodies byte for byte as the clients send them. The Python SDK (6+) posts with httpx
 * ({@code data={"metadata": json.dumps(payload)}, files={"wheel": (file_name, fh, "application/octet-stream")}}),
 * which encodes (httpx {@code _multipart.py}): a 32-hex-digit boundary; per part {@code --boundary\r\n}, its headers
 * ({@code Content-Disposition: form-data; name="..."}, for a file {@code ; filename="..."} and
 * {@code \r\nContent-Type: ...}), {@code \r\n\r\n}, the value, {@code \r\n}; then {@code --boundary--\r\n}; data
 * fields first, then files, and no Content-Type on a data field.
 */
public final class Multipart {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String boundary;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    private Multipart(String boundary) {
        this.boundary = boundary;
    }

    /** A body as httpx builds it. */
    public static Multipart httpx() {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        return new Multipart(HexFormat.of().formatHex(random));
    }

    /** The SDK's upload: the metadata field, then the wheel file part. */
    public static Multipart sdk(String metadataJson, String fileName, byte[] wheel) {
        return httpx().field("metadata", metadataJson).file("wheel", fileName, "application/octet-stream", wheel);
    }

    public Multipart field(String name, String value) {
        write("--" + boundary + "\r\n" + "Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n");
        write(value);
        write("\r\n");
        return this;
    }

    public Multipart file(String name, String fileName, String contentType, byte[] data) {
        write("--" + boundary + "\r\n" + "Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName
                + "\"\r\nContent-Type: " + contentType + "\r\n\r\n");
        body.writeBytes(data);
        write("\r\n");
        return this;
    }

    public String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    /** The body with its closing delimiter. */
    public byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(body.toByteArray());
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** The body so far, without the closing delimiter (a body cut short). */
    public byte[] unterminated() {
        return body.toByteArray();
    }

    private void write(String s) {
        body.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The metadata the SDK sends, as Python's {@code json.dumps} writes it (", " and ": " separators, ASCII only),
     * keys in the SDK's order and {@code changelog} null when unset.
     */
    public static String sdkMetadata(String name, String version, String displayName, String description) {
        return "{\"name\": \"" + name + "\", \"version\": \"" + version + "\", \"schemas\": {}, \"metadata\": "
                + "{\"display_name\": \"" + displayName + "\", \"description\": \"" + description
                + "\", \"icon_url\": null, \"tags\": []}, \"changelog\": null}";
    }
}
