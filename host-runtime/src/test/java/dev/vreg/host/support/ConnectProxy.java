package dev.vreg.host.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTPS proxy on 127.0.0.1 that knows only the hosts it is given: {@code CONNECT host:port} to one of them is
 * tunnelled to its loopback port, anything else refused with 403. Lets a client that honours {@code HTTPS_PROXY}
 * (the go command, Java's HttpClient) reach a made-up host name, without DNS and without the internet.
 */
public final class ConnectProxy implements AutoCloseable {

    private final ServerSocket server;
    private final Map<String, Integer> targets;
    private final List<String> requested = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    /** @param targets {@code host:port} as clients ask for it, to the loopback port it reaches */
    public ConnectProxy(Map<String, Integer> targets) {
        this.targets = Map.copyOf(targets);
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "connect-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The {@code host:port} of every CONNECT, in order. */
    public List<String> requested() {
        return List.copyOf(requested);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                open.add(client);
                daemon(() -> tunnel(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void tunnel(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            String head = readHead(in);
            String[] requestLine = head.split("\r\n", 2)[0].split(" ");
            if (requestLine.length < 2 || !requestLine[0].equals("CONNECT")) {
                out.write("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n".getBytes());
                return;
            }
            requested.add(requestLine[1]);
            Integer port = targets.get(requestLine[1]);
            if (port == null) {
                out.write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n".getBytes());
                return;
            }
            try (Socket upstream = new Socket()) {
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
                open.add(upstream);
                out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread back = daemon(() -> copy(upstream, client));
                copy(client, upstream);
                back.join();
            }
        } catch (IOException | InterruptedException e) {
            // The client or the target went away; the tunnel ends with it.
        }
    }

    private static Thread daemon(Runnable task) {
        Thread thread = new Thread(task, "connect-proxy-tunnel");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0 || head.size() > 16_384) {
                throw new IOException("no complete request head");
            }
            head.write(b);
            matched = (b == '\r' || b == '\n') && "\r\n\r\n".charAt(matched) == b ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static void copy(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            // One side closed: nothing more to pass on.
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // Closing anyway.
        }
        for (Socket socket : open) {
            try {
                socket.close();
            } catch (IOException e) {
                // Closing anyway.
            }
        }
    }
}
