package dev.vreg.testkit.upstream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A server on the loopback interface that accepts connections and never says or reads anything, so a client's read
 * timeout is the only way out of a request to it. Whatever kind the client is, it must fail in time.
 */
final class BlackHole implements AutoCloseable {

    private final ServerSocket socket;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    BlackHole() {
        try {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "black-hole");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                accepted.add(socket.accept());
            } catch (IOException e) {
                return;
            }
        }
    }

    /** {@code base} with this server's port: the same scheme and path, an address that never answers. */
    URI in(URI base) {
        try {
            return new URI(base.getScheme(), null, "127.0.0.1", socket.getLocalPort(), base.getPath(), null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
            for (Socket s : accepted) {
                s.close();
            }
        } catch (IOException e) {
            // Closing a test server that is going away anyway.
        }
    }
}
