package dev.vreg.host.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;

/**
 * A download over a plain socket, read at the test's pace: a small receive buffer, so the server can send little
 * more than the test has read, and the response stays in flight for as long as the test wants.
 */
public final class RawDownload implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final String head;

    private RawDownload(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.head = readHead(in);
    }

    /** Sends {@code GET path} to 127.0.0.1:{@code port} and reads the answer's head. */
    public static RawDownload get(int port, String path) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setReceiveBufferSize(64 * 1024);
            socket.setSoTimeout(60_000);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new RawDownload(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The status line and headers. */
    public String head() {
        return head;
    }

    public long contentLength() {
        return Long.parseLong(head.replaceAll("(?is).*content-length: *(\\d+).*", "$1"));
    }

    /**
     * Reads up to {@code limit} bytes of the body into {@code digest}, pausing {@code pause} after every 64 KiB;
     * fewer when the connection ends first.
     */
    public long read(MessageDigest digest, long limit, Duration pause) throws IOException, InterruptedException {
        byte[] buffer = new byte[64 * 1024];
        long copied = 0;
        while (copied < limit) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - copied));
            if (n < 0) {
                break;
            }
            digest.update(buffer, 0, n);
            copied += n;
            if (!pause.isZero()) {
                Thread.sleep(pause.toMillis());
            }
        }
        return copied;
    }

    /** Whether connecting to {@code port} is refused within {@code wait}: nothing listens there any more. */
    public static boolean refusedWithin(int port, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            } catch (ConnectException refused) {
                return true;
            } catch (IOException other) {
                // Timed out, or accepted in the moment the listener closed; look again.
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** The status line and headers of a response read from {@code in}, up to the blank line. */
    public static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
