package dev.providers.registry.upload;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * An upload over a raw socket, in two steps, so that a test can break something (the store, the database) between
 * them: {@link #begin} sends the head and the first bytes of the body; {@link #finish} sends the rest from another
 * thread and reads the one answer (by its Content-Length; the server may answer before the last byte).
 */
final class RawUpload implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final byte[] body;
    private final int sent;

    private RawUpload(Socket socket, byte[] body, int sent) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.body = body;
        this.sent = sent;
    }

    static RawUpload begin(int port, String token, String contentType, byte[] body, int firstBytes) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        RawUpload upload = new RawUpload(socket, body, firstBytes);
        String head = "POST /providers/publish HTTP/1.1\r\nHost: localhost:" + port + "\r\nAuthorization: Bearer "
                + token + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + body.length + "\r\n\r\n";
        upload.out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        upload.out.write(body, 0, firstBytes);
        upload.out.flush();
        return upload;
    }

    /** Sends the rest and answers the status line, headers and body of the answer. */
    String finish() throws IOException {
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                for (int off = sent; off < body.length; off += 65536) {
                    out.write(body, off, Math.min(65536, body.length - off));
                }
                out.flush();
            } catch (IOException e) {
                // the server answered and closed
            }
        });
        try {
            return readAnswer(socket.getInputStream());
        } finally {
            writer.cancel(true);
        }
    }

    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return head.toString(StandardCharsets.UTF_8);
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        byte[] answer = in.readNBytes(length);
        return headers + new String(answer, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
