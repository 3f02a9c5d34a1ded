package dev.providers.registry.http;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/** Sends a JSON body of an exact size as raw bytes, chunked or with its Content-Length, and reads what comes back. */
final class RawBodies {

    private static final int CHUNK = 64 * 1024;

    private RawBodies() {}

    /**
     * Sends {@code fields} padded with an ignored field to {@code size} bytes from a writer thread (the server may
     * answer before the last byte) and returns everything read back, a {@code 100 Continue} included.
     */
    static String send(
            int port,
            String token,
            String method,
            String path,
            String extraHeaders,
            int size,
            String requestId,
            JsonObject fields,
            boolean chunked)
            throws Exception {
        byte[] body = padded(fields, size);
        String head = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\nX-Request-Id: " + requestId + "\r\n"
                + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + size + "\r\n")
                + extraHeaders + "\r\n";
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            if (extraHeaders.contains("100-continue")) {
                readUntil(in, answer, "\r\n\r\n");
            }
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    for (int off = 0; off < body.length; off += CHUNK) {
                        int n = Math.min(CHUNK, body.length - off);
                        if (chunked) {
                            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        }
                        out.write(body, off, n);
                        if (chunked) {
                            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        }
                    }
                    if (chunked) {
                        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    }
                    out.flush();
                } catch (IOException e) {
                    // the server answered and closed: what it answered is what we judge
                }
            });
            readAll(in, answer);
            writer.cancel(true);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    private static byte[] padded(JsonObject fields, int size) {
        String prefix = fields.copy().put("padding", "").encode();
        prefix = prefix.substring(0, prefix.length() - 2); // leaves the padding string open
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) 'x');
        byte[] start = prefix.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(start, 0, body, 0, start.length);
        body[size - 2] = '"';
        body[size - 1] = '}';
        return body;
    }

    private static void readUntil(InputStream in, ByteArrayOutputStream answer, String end) throws IOException {
        while (!answer.toString(StandardCharsets.ISO_8859_1).contains(end)) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            answer.write(b);
        }
    }

    /** Reads until the server closes, or the final answer is complete per its Content-Length. */
    private static void readAll(InputStream in, ByteArrayOutputStream answer) throws IOException {
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                answer.write(buffer, 0, n);
                if (complete(answer.toString(StandardCharsets.ISO_8859_1))) {
                    return;
                }
            }
        } catch (SocketTimeoutException | SocketException e) {
            // the answer so far is what we judge
        }
    }

    private static boolean complete(String text) {
        int lastHead = text.lastIndexOf("HTTP/1.1 ");
        if (lastHead < 0) {
            return false;
        }
        String last = text.substring(lastHead);
        int headEnd = last.indexOf("\r\n\r\n");
        if (last.startsWith("HTTP/1.1 100") || headEnd < 0) {
            return false;
        }
        String head = last.substring(0, headEnd).toLowerCase();
        int at = head.indexOf("content-length: ");
        if (at < 0) {
            return false;
        }
        int length = Integer.parseInt(head.substring(at + 16).split("\r\n")[0].trim());
        return last.length() - headEnd - 4 >= length;
    }
}
