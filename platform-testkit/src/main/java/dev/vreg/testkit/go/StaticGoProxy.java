package dev.vreg.testkit.go;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A static GOPROXY for tests: fixture modules written into a directory ({@link GoProxyTree}) and served over HTTP on
 * 127.0.0.1, with request counting and injectable faults.
 *
 * <pre>{@code
 * try (StaticGoProxy proxy = StaticGoProxy.start(tempDir.resolve("proxy"), moduleA, moduleB)) {
 *     go.run("mod", "download", "example.com/a@v1.0.0");            // GOPROXY = proxy.baseUrl()
 *     assertThat(proxy.requestCount(moduleA.zipPath())).isEqualTo(1);
 * }
 * }</pre>
 * Request paths are percent-decoded before they are looked up and counted (the go command sends {@code !} as
 * {@code %21}); unknown paths get a 404 with a {@code text/plain} body; files are sent with a
 * {@code Content-Length}. The blocking methods wait for the server and must not be called on a Vert.x thread.
 */
public final class StaticGoProxy implements AutoCloseable {

    private static final long WAIT_SECONDS = 30;

    private final Vertx vertx;
    private final boolean ownsVertx;
    private final Path root;
    private final RequestLog log = new RequestLog();
    private final FaultTable faults = new FaultTable();
    private HttpServer server;
    private int port;

    private StaticGoProxy(Vertx vertx, boolean ownsVertx, Path root) {
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        this.root = root.toAbsolutePath().normalize();
    }

    /** Publishes {@code modules} under {@code root} and serves them on a free port, on a Vert.x of its own. */
    public static StaticGoProxy start(Path root, GoModule... modules) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try {
            return start(new StaticGoProxy(vertx, true, root), modules);
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    /** Publishes {@code modules} under {@code root} and serves them on a free port, on the given Vert.x. */
    public static StaticGoProxy start(Vertx vertx, Path root, GoModule... modules) {
        return start(new StaticGoProxy(Objects.requireNonNull(vertx, "vertx"), false, root), modules);
    }

    private static StaticGoProxy start(StaticGoProxy proxy, GoModule... modules) {
        proxy.publish(modules);
        proxy.listen(0);
        return proxy;
    }

    /** Adds module versions to the tree; they are served at once, and listed unless they are pseudo-versions. */
    public StaticGoProxy publish(GoModule... modules) {
        for (GoModule module : modules) {
            GoProxyTree.publish(root, module);
        }
        return this;
    }

    /** Makes {@code module}'s version the answer to its {@code @latest} request (and publishes it). */
    public StaticGoProxy publishLatest(GoModule module) {
        GoProxyTree.publish(root, module);
        GoProxyTree.publishLatest(root, module);
        return this;
    }

    /** {@code http://127.0.0.1:<port>}, without a trailing slash: the value for {@code GOPROXY}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The port, the same across {@link #stop()} and {@link #restart()}. */
    public int port() {
        return port;
    }

    /** The directory the proxy serves. */
    public Path root() {
        return root;
    }

    /**
     * How many requests arrived for a path since the last {@link #resetCounters()}, faulted or not. The path may be
     * given bang-escaped or percent-encoded ({@code /example.com/!upper/@v/list} or {@code .../%21upper/...}).
     */
    public int requestCount(String path) {
        return log.count(normalize(path));
    }

    /**
     * The value of header {@code name} in each request for {@code path} since the last {@link #resetCounters()}, in
     * arrival order ({@code null} for a request without it).
     */
    public List<String> requestHeader(String path, String name) {
        return log.header(normalize(path), name);
    }

    /** How many requests arrived since the last {@link #resetCounters()}. */
    public int totalRequests() {
        return log.total();
    }

    /** The decoded paths of all requests since the last {@link #resetCounters()}, in arrival order. */
    public List<String> requestedPaths() {
        return log.paths();
    }

    /** Forgets all counted requests. */
    public void resetCounters() {
        log.reset();
    }

    /** Makes requests for {@code path} misbehave as {@code fault} says, replacing an earlier fault for it. */
    public StaticGoProxy inject(String path, Fault fault) {
        faults.put(normalize(path), Objects.requireNonNull(fault, "fault"));
        return this;
    }

    /** Removes every injected fault. */
    public void clearFaults() {
        faults.clear();
    }

    /** Stops listening and closes open connections; the port stays reserved for {@link #restart()}. */
    public synchronized void stop() {
        if (server != null) {
            await(server.close(), "stop");
            server = null;
        }
    }

    /** Listens again on the same port after {@link #stop()}. */
    public synchronized void restart() {
        if (server == null) {
            listen(port);
        }
    }

    /** Whether the proxy is listening. */
    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Stops the server, and closes the Vert.x instance when the proxy created it. */
    @Override
    public synchronized void close() {
        stop();
        if (ownsVertx) {
            await(vertx.close(), "close");
        }
    }

    private synchronized void listen(int wantedPort) {
        HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(wantedPort);
        HttpServer created = vertx.createHttpServer(options)
                .requestHandler(new ProxyRequestHandler(vertx, root, log, faults));
        server = await(created.listen(), "listen on 127.0.0.1:" + wantedPort);
        port = server.actualPort();
    }

    private static String normalize(String path) {
        String decoded = PercentDecoding.decode(path);
        return decoded.startsWith("/") ? decoded : "/" + decoded;
    }

    private static <T> T await(Future<T> future, String what) {
        if (Context.isOnVertxThread()) {
            throw new IllegalStateException("StaticGoProxy cannot " + what + " on a Vert.x thread: it would block");
        }
        try {
            return future.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("StaticGoProxy could not " + what + " within " + WAIT_SECONDS + " s", e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("StaticGoProxy could not " + what + ": " + e.getMessage(), e);
        }
    }
}
