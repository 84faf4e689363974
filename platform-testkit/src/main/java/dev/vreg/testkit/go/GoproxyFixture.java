package dev.vreg.testkit.go;

import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.Credentials;
import dev.vreg.testkit.upstream.Await;
import dev.vreg.testkit.upstream.FixtureFailure;
import dev.vreg.testkit.upstream.ModuleSource;
import dev.vreg.testkit.upstream.UpstreamClientConformance;
import dev.vreg.testkit.upstream.UpstreamFixture;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A GOPROXY server for plugin and host tests: an HTTP server on 127.0.0.1, on a Vert.x of its own, answering
 * {@code GET <baseUrl>/<module>/@v/list}, {@code .info}, {@code .mod}, {@code .zip} and {@code <module>/@latest} the
 * way proxy.golang.org does. It is the {@link UpstreamFixture} of GOPROXY-speaking upstream kinds, ready for
 * {@link UpstreamClientConformance}.
 *
 * <pre>{@code
 * try (GoproxyFixture proxy = GoproxyFixture.start()) {
 *     proxy.publish(module);                                  // list, .info, .mod and .zip of a GoModule
 *     proxy.inject(module.zipPath(), Fault.status(503).once());
 *     ... GOPROXY=proxy.baseUrl() ...
 *     assertThat(proxy.requestCount(module.zipPath())).isEqualTo(2);
 * }
 * }</pre>
 *
 * <p>What it answers, in this order: 401 when {@link #requireCredentials} is in force and the request lacks them;
 * an injected {@link Fault}; what was programmed for the path ({@link #serve}, {@link #serveGenerated},
 * {@link #fail}, {@link #answer}, {@link #redirect}); a file of the published modules ({@link #publish}, served from
 * a directory written by {@link GoProxyTree}); otherwise 404 with a {@code text/plain} reason. Paths are
 * percent-decoded before lookup and counting, so {@code %21} and {@code !} name the same file and {@code +} stays
 * {@code +}. Bodies are sent with a {@code Content-Length}; large ones are produced while sending, honouring
 * back-pressure, so neither a published zip nor a generated body is held in memory.
 *
 * <p>Paths given to its methods are relative to the base URL, bang-escaped, with or without a leading {@code /}
 * (so a {@link GoModule}'s {@code zipPath()} and an {@link ArtifactRef}'s {@code path()} both work). The blocking
 * methods wait for the server and must not be called on a Vert.x thread.
 */
public final class GoproxyFixture implements UpstreamFixture, ModuleSource {

    /** The path under which the fixture serves its GOPROXY, so clients are proved to keep a base URL's path. */
    public static final String BASE_PATH = "/goproxy";

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Vertx vertx = Vertx.vertx();
    private final String scheme;
    private final Path root;
    private final GoproxyFixtureHandler handler;
    private HttpServer server;

    private GoproxyFixture(String scheme) {
        this.scheme = scheme;
        try {
            this.root = Files.createTempDirectory("goproxy-fixture");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the fixture's module directory", e);
        }
        this.handler = new GoproxyFixtureHandler(vertx, BASE_PATH, root);
    }

    /** A plain-http fixture on a free port. */
    public static GoproxyFixture start() {
        return start(new HttpServerOptions(), "http");
    }

    /** An https fixture on a free port, presenting {@code keyCert}. */
    public static GoproxyFixture startTls(KeyCertOptions keyCert) {
        return start(new HttpServerOptions().setSsl(true).setKeyCertOptions(keyCert), "https");
    }

    private static GoproxyFixture start(HttpServerOptions options, String scheme) {
        GoproxyFixture fixture = new GoproxyFixture(scheme);
        try {
            fixture.server = Await.result(fixture.vertx.createHttpServer(options.setHost("127.0.0.1"))
                    .connectionHandler(connection -> fixture.handler.connectionAccepted())
                    .requestHandler(fixture.handler)
                    .listen(0, "127.0.0.1"), WAIT);
            return fixture;
        } catch (RuntimeException e) {
            fixture.close();
            throw e;
        }
    }

    /**
     * {@code <scheme>://127.0.0.1:<port>/goproxy/}. The trailing slash is deliberate: clients must trim it, as the
     * go command does.
     */
    @Override
    public URI baseUrl() {
        return URI.create(scheme + "://127.0.0.1:" + server.actualPort() + BASE_PATH + "/");
    }

    /** Adds module versions: their {@code .info}, {@code .mod} and {@code .zip}, listed unless pseudo-versions. */
    @Override
    public GoproxyFixture publish(GoModule... modules) {
        for (GoModule module : modules) {
            GoProxyTree.publish(root, module);
        }
        return this;
    }

    /** Makes {@code module}'s version the answer to its {@code @latest} request (and publishes it). */
    public GoproxyFixture publishLatest(GoModule module) {
        GoProxyTree.publish(root, module);
        GoProxyTree.publishLatest(root, module);
        return this;
    }

    @Override
    public void serve(ArtifactRef ref, byte[] body, String etag) {
        handler.route(ref.path(), new GoproxyFixtureHandler.Served(body.clone(), etag));
    }

    @Override
    public void serveGenerated(ArtifactRef ref, long length) {
        handler.route(ref.path(), new GoproxyFixtureHandler.Generated(length));
    }

    @Override
    public void fail(ArtifactRef ref, FixtureFailure failure) {
        handler.route(ref.path(), new GoproxyFixtureHandler.Failing(Objects.requireNonNull(failure, "failure")));
    }

    /** Answers {@code status} with a short text body for {@code path}. */
    public GoproxyFixture answer(String path, int status) {
        handler.route(path, new GoproxyFixtureHandler.Status(status, 0));
        return this;
    }

    /** Answers 200 with {@code body} for {@code path}, such as an endpoint of the server beside the protocol's. */
    public GoproxyFixture answer(String path, byte[] body) {
        handler.route(path, new GoproxyFixtureHandler.Served(body.clone(), null));
        return this;
    }

    /** Answers {@code status} with a body of {@code bodyBytes} generated bytes for {@code path}. */
    public GoproxyFixture answer(String path, int status, int bodyBytes) {
        handler.route(path, new GoproxyFixtureHandler.Status(status, bodyBytes));
        return this;
    }

    /** Redirects {@code path} to {@code location} (absolute or relative) with {@code status}. */
    public GoproxyFixture redirect(String path, int status, String location) {
        handler.route(path, new GoproxyFixtureHandler.Redirect(status, location));
        return this;
    }

    /**
     * Makes requests for {@code path} misbehave as {@code fault} says, before anything programmed or published is
     * served; replaces an earlier fault for the path.
     */
    public GoproxyFixture inject(String path, Fault fault) {
        handler.inject(path, Objects.requireNonNull(fault, "fault"));
        return this;
    }

    /** Answers every request inside the base path with {@code status} (after the credentials check); 0 stops it. */
    @Override
    public void answerEverythingWith(int status) {
        handler.answerEverythingWith(status);
    }

    /** Removes every injected fault. */
    public void clearFaults() {
        handler.clearFaults();
    }

    @Override
    public void requireCredentials(Credentials credentials) {
        handler.requireAuthorization(credentials.hasToken()
                ? "Bearer " + credentials.token()
                : "Basic " + Base64.getEncoder().encodeToString(
                        (Objects.requireNonNullElse(credentials.username(), "") + ":" + credentials.password())
                                .getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public List<String> receivedTargets() {
        return handler.targets();
    }

    /** The {@code Authorization} headers received, oldest first; an empty string where none was sent. */
    public List<String> receivedAuthorizations() {
        return handler.authorizations();
    }

    /** How many requests arrived for {@code path}, faulted or not, since the last {@link #resetCounters()}. */
    public int requestCount(String path) {
        return handler.requestCount(path);
    }

    /** How many requests arrived since the last {@link #resetCounters()}, inside the base path or not. */
    public int totalRequests() {
        return handler.totalRequests();
    }

    /** The decoded paths, relative to the base URL, of the requests since the last {@link #resetCounters()}. */
    public List<String> requestedPaths() {
        return handler.requestedPaths();
    }

    /** Forgets the received targets, headers and request counts; what is served stays. */
    public void resetCounters() {
        handler.resetRecords();
    }

    /** How many connections the server accepted since it started. */
    public int connectionsAccepted() {
        return handler.connections();
    }

    /** Forgets everything programmed, published, injected and recorded, and requires no credentials. */
    @Override
    public void reset() {
        handler.reset();
        deleteTree(false);
    }

    @Override
    public void close() {
        try {
            Await.result(vertx.close(), WAIT);
        } finally {
            deleteTree(true);
        }
    }

    private void deleteTree(boolean includingRoot) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                if (includingRoot || !file.equals(root)) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the fixture's module directory " + root, e);
        }
    }
}
