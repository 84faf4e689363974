package dev.vreg.host.e2e;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 in front of a server. Once {@link #stallAfter armed}, a connection on which a client sent
 * more than the given bytes since then stops being forwarded, so that an upload hangs half-way, at a moment the test
 * knows, until {@link #cutAll()} breaks every connection off (as a server that stops does).
 */
final class StallingProxy implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final NetServer server;
    private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger stalled = new AtomicInteger();
    private volatile long stallAfter = -1;

    StallingProxy(int targetPort) throws Exception {
        var client = vertx.createNetClient();
        server = vertx.createNetServer().connectHandler(inbound -> {
            inbound.pause();
            client.connect(targetPort, "127.0.0.1").onSuccess(outbound -> {
                open.add(inbound);
                AtomicLong sentWhileArmed = new AtomicLong();
                AtomicBoolean stalling = new AtomicBoolean();
                inbound.handler(chunk -> {
                    long limit = stallAfter;
                    if (stalling.get() || limit >= 0 && sentWhileArmed.addAndGet(chunk.length()) > limit) {
                        if (stalling.compareAndSet(false, true)) {
                            stalled.incrementAndGet();
                        }
                        return;
                    }
                    outbound.write(chunk);
                });
                outbound.handler(inbound::write);
                inbound.closeHandler(v -> {
                    open.remove(inbound);
                    outbound.close();
                });
                outbound.closeHandler(v -> inbound.close());
                inbound.resume();
            }).onFailure(e -> inbound.close());
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    /** From now on, stalls each connection once its client sent more than {@code bytes}; negative: never. */
    void stallAfter(long bytes) {
        stallAfter = bytes;
    }

    /** How many connections stalled. */
    int stalled() {
        return stalled.get();
    }

    /** Breaks off every open connection, and stalls no more. */
    void cutAll() {
        stallAfter = -1;
        open.forEach(NetSocket::close);
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
