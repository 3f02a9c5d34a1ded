package dev.providers.registry.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.providers.registry.support.Multipart;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartParserTest {

    /** What a listener saw: each part's headers and bytes, in order. */
    private static final class Seen implements MultipartParser.Listener {
        final List<MultipartParser.Part> parts = new ArrayList<>();
        final List<ByteArrayOutputStream> data = new ArrayList<>();
        int ended;

        @Override
        public void partBegin(MultipartParser.Part part) {
            parts.add(part);
            data.add(new ByteArrayOutputStream());
        }

        @Override
        public void partData(Buffer bytes) {
            data.get(data.size() - 1).writeBytes(bytes.getBytes());
        }

        @Override
        public void partEnd() {
            ended++;
        }
    }

    private static Seen parse(Multipart body, byte[] bytes, int chunk) throws Exception {
        Seen seen = new Seen();
        MultipartParser parser = new MultipartParser(MultipartParser.boundary(body.contentType()), seen);
        for (int off = 0; off < bytes.length; off += chunk) {
            parser.feed(Buffer.buffer().appendBytes(bytes, off, Math.min(chunk, bytes.length - off)));
        }
        parser.end();
        return seen;
    }

    @Test
    void theSdkBodyGivesItsPartsWhateverTheChunkBoundaries() throws Exception {
        byte[] wheel = new byte[200_000];
        new Random(7).nextBytes(wheel);
        // Bytes that look like the start of a delimiter inside the file.
        byte[] near = "\r\n--\r\n-".getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(near, 0, wheel, 1000, near.length);
        Multipart body = Multipart.sdk("{\"name\": \"x\"}", "x-1.0.0-py3-none-any.whl", wheel);
        byte[] bytes = body.bytes();
        for (int chunk : new int[] {1, 2, 3, 7, 64, 1000, 8192, 65536, bytes.length}) {
            Seen seen = parse(body, bytes, chunk);
            assertEquals(2, seen.parts.size(), "chunk " + chunk);
            assertEquals(2, seen.ended);
            assertEquals("metadata", seen.parts.get(0).name());
            assertNull(seen.parts.get(0).fileName());
            assertEquals("{\"name\": \"x\"}", seen.data.get(0).toString(StandardCharsets.UTF_8));
            assertEquals("wheel", seen.parts.get(1).name());
            assertEquals("x-1.0.0-py3-none-any.whl", seen.parts.get(1).fileName());
            assertEquals("application/octet-stream", seen.parts.get(1).contentType());
            assertArrayEquals(wheel, seen.data.get(1).toByteArray(), "chunk " + chunk);
        }
    }

    @Test
    void aBodyCutBeforeItsClosingBoundaryIsMalformed() {
        Multipart body = Multipart.sdk("{}", "x.whl", new byte[100]);
        assertThrows(MultipartParser.MalformedMultipart.class, () -> {
            Seen seen = new Seen();
            MultipartParser parser = new MultipartParser(MultipartParser.boundary(body.contentType()), seen);
            parser.feed(Buffer.buffer(body.unterminated()));
            parser.end();
        });
    }

    @Test
    void theBoundaryComesFromTheContentType() {
        assertEquals("abc", MultipartParser.boundary("multipart/form-data; boundary=abc"));
        assertEquals("a b", MultipartParser.boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b\""));
        assertNull(MultipartParser.boundary("application/json"));
        assertNull(MultipartParser.boundary("multipart/form-data"));
        assertNull(MultipartParser.boundary(null));
    }

    @Test
    void quotedAndExtendedFileNames() throws Exception {
        String boundary = "b";
        String raw = "--b\r\nContent-Disposition: form-data; name=\"wheel\"; filename=\"a;b.whl\"\r\n\r\nx\r\n"
                + "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"plain\"; filename*=UTF-8''%C3%A9.whl"
                + "\r\n\r\ny\r\n--b--\r\n";
        Seen seen = new Seen();
        MultipartParser parser = new MultipartParser(boundary, seen);
        parser.feed(Buffer.buffer(raw));
        parser.end();
        assertEquals("a;b.whl", seen.parts.get(0).fileName());
        assertEquals("é.whl", seen.parts.get(1).fileName());
        assertTrue(parser.complete());
    }
}
