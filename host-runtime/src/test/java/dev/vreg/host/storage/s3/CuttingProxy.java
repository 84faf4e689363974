package dev.vreg.host.storage.s3;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 in front of a server that breaks off every connection once a client has sent more than
 * {@code cutAfter} bytes on it: uploads die half-way, small requests (an abort, a listing) pass.
 */
final class CuttingProxy implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final NetServer server;
    private final AtomicInteger cuts = new AtomicInteger();

    CuttingProxy(int targetPort, long cutAfter) throws Exception {
        var client = vertx.createNetClient();
        server = vertx.createNetServer().connectHandler(inbound -> {
            inbound.pause();
            client.connect(targetPort, "127.0.0.1").onSuccess(outbound -> {
                AtomicLong sent = new AtomicLong();
                inbound.handler(chunk -> {
                    if (sent.addAndGet(chunk.length()) > cutAfter) {
                        cuts.incrementAndGet();
                        inbound.close();
                        outbound.close();
                        return;
                    }
                    outbound.write(chunk);
                });
                outbound.handler(inbound::write);
                inbound.closeHandler(v -> outbound.close());
                outbound.closeHandler(v -> inbound.close());
                inbound.resume();
            }).onFailure(e -> inbound.close());
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    /** How many connections were broken off. */
    int cuts() {
        return cuts.get();
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(Duration.ofSeconds(10).toMillis(),
                TimeUnit.MILLISECONDS);
    }

}
