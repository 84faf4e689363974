package dev.vreg.host.http;

import dev.vreg.host.pull.GitLabGoProxyRoute;
import dev.vreg.host.pull.PullRoutes;
import dev.vreg.host.pull.BlobResponder;
import dev.vreg.host.pull.ReadyAnswers;
import dev.vreg.host.pull.MalformedEscapes;

import dev.vreg.host.api.AdminApi;
import dev.vreg.host.api.Endpoint;
import dev.vreg.host.identity.Authenticator;
import dev.vreg.host.cache.EntryPulls;
import dev.vreg.host.db.BatchedWriter;
import dev.vreg.host.policy.Policies;
import dev.vreg.host.db.DatabaseHealth;
import dev.vreg.host.proxy.ArtifactService;
import dev.vreg.host.registry.RegistryDirectory;
import dev.vreg.host.vanity.VanityPages;
import dev.vreg.host.sumdb.ChecksumDatabases;
import dev.vreg.host.stats.Statistics;
import dev.vreg.host.vertx.RequestId;
import dev.vreg.spi.VregException;
import dev.vreg.spi.FormatPlugin;
import dev.vreg.spi.storage.BlobStore;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One HTTP listener; the server deploys one per event loop, all sharing the port. */
public final class HttpVerticle extends VerticleBase {

    /**
     * Everything the routes need, built once per node and shared by every instance.
     *
     * @param shutdownGrace how long {@link #stop()} lets responses in flight finish
     * @param checksums     the checksum database pass-through of every format that has one
     * @param ready         the node's copies in memory of small cached files, and the answers ready to send them
     */
    public record Services(String host, int port, Map<String, FormatPlugin> formats, RegistryDirectory registries,
                           ArtifactService artifacts, BlobStore blobs, BatchedWriter<Long, EntryPulls> downloads,
                           HealthCheckHandler readiness, DatabaseHealth database, PrometheusMeterRegistry prometheus,
                           Authenticator authenticator, AdminApi admin, KeyCertOptions tls, Duration shutdownGrace,
                           VanityPages vanity, ChecksumDatabases checksums, GitLabGoProxyRoute gitlabRoute,
                           Statistics statistics, Policies policies, ReadyAnswers ready) {

        /** The same services for a listener on {@code port} serving HTTPS with {@code material}. */
        public Services listeningOn(int port, KeyCertOptions material) {
            return new Services(host, port, formats, registries, artifacts, blobs, downloads, readiness, database,
                    prometheus, authenticator, admin, material, shutdownGrace, vanity, checksums, gitlabRoute,
                    statistics, policies, ready);
        }
    }

    /** Where vreg serves the guide for clients of GitLab's Go proxy route (relative, as {@code Link} allows). */
    public static final String MIGRATION_GUIDE = "/docs/migration-from-go-proxy.md";
    private static final String MIGRATION_GUIDE_RESOURCE = "dev/vreg/host/docs/migration-from-go-proxy.md";

    private final Services services;
    private HttpServer server;

    public HttpVerticle(Services services) {
        this.services = services;
    }

    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        // A routing context takes the response's headers-end handler over; its own list keeps the request id.
        router.route().handler(ctx -> {
            String id = RequestId.current();
            if (id != null) {
                ctx.addHeadersEndHandler(v -> ctx.response().putHeader(RequestId.HEADER, id));
            }
            ctx.next();
        });
        // Before every other route: a discovery request names a vanity host's path, which may look like any of them.
        services.vanity().mount(router);
        router.get("/healthz").handler(this::liveness);
        router.get("/readyz").handler(services.readiness());
        if (services.prometheus() != null) {
            router.get("/metrics").handler(PrometheusScrapingHandler.create(services.prometheus()));
        }
        if (services.prometheus() != null) {
            router.route(AdminApi.PREFIX + "*").handler(new ApiRequestMeter(services.prometheus()));
        }
        services.admin().mount(vertx, router);
        ConsoleRoutes.mount(vertx, router);
        ReadyAnswers ready = services.ready();
        BlobResponder blobs = new BlobResponder(services.blobs(), ready.smallFiles());
        services.formats().values().forEach(format -> PullRoutes.mount(router, format, services.registries(),
                services.authenticator(), services.artifacts(), blobs, services.downloads(),
                services.statistics(), services.checksums().passThrough(format), services.gitlabRoute(),
                services.policies(), ready));
        router.get(MIGRATION_GUIDE).handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/markdown; charset=utf-8")
                .putHeader("Cache-Control", "public, max-age=3600")
                .sendFile(MIGRATION_GUIDE_RESOURCE));
        HttpServerOptions options = new HttpServerOptions()
                .setHost(services.host())
                .setPort(services.port())
                .setCompressionSupported(false)
                .setTcpNoDelay(true)
                // Package clients speak HTTP/1.1 (or HTTP/2 over TLS); a cleartext upgrade only adds a code path.
                .setHttp2ClearTextEnabled(false)
                .setIdleTimeout(300);
        if (services.tls() != null) {
            options.setSsl(true).setKeyCertOptions(services.tls());
        }
        server = vertx.createHttpServer(options);
        return server
                .connectionHandler(HttpVersionGuard::install)
                .invalidRequestHandler(InvalidRequests::answer)
                .requestHandler(request -> {
                    String requestId = RequestId.accept(request.getHeader(RequestId.HEADER));
                    RequestId.bind(vertx.getOrCreateContext(), requestId);
                    // Set as the head goes out, so that answers that start their headers over keep it.
                    HttpServerResponse response = request.response();
                    response.headersEndHandler(v -> response.putHeader(RequestId.HEADER, requestId));
                    if (HttpVersionGuard.refuse(request)) {
                        return;
                    }
                    String path = request.path();
                    if (path != null && MalformedEscapes.in(path)) {
                        refuseMalformedEscape(request, path);
                        return;
                    }
                    if (!ready.answer(request)) {
                        router.handle(request);
                    }
                }).listen();
    }

    /**
     * The router cannot match a path whose percent-escapes are broken, so it is answered here: under a package
     * endpoint it names no file (404, so a go client's GOPROXY list falls through); under the admin API it is a bad
     * request in problem JSON; anywhere else a plain 400.
     */
    private void refuseMalformedEscape(HttpServerRequest request, String path) {
        String reason = "the path has a malformed percent-escape";
        if (services.formats().keySet().stream().anyMatch(id -> path.startsWith("/" + id + "/"))
                || path.startsWith("/api/v4/projects/")) {
            ErrorResponder.send(request.response(), VregException.notFound(reason));
        } else if (path.startsWith(AdminApi.PREFIX)) {
            Endpoint.fail(request.response(), VregException.invalid(reason));
        } else {
            ErrorResponder.send(request.response(), VregException.invalid(reason));
        }
    }

    /**
     * Whether the process lives in the sense a liveness probe means: it answers, and can get well by itself. While
     * the database is merely down (being restarted, or an external one unreachable) it does; once the embedded
     * server could not be restarted it does not, and a restart of the node is the cure.
     */
    private void liveness(RoutingContext ctx) {
        DatabaseHealth database = services.database();
        ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8").putHeader("Cache-Control", "no-store");
        if (database.alive()) {
            ctx.response().end("ok\n");
        } else {
            ctx.response().setStatusCode(503).end(database.reason() + "\n");
        }
    }

    /** The port actually bound (useful when configured as 0). */
    public int actualPort() {
        return server.actualPort();
    }

    /**
     * Stops accepting connections at once (the listening socket closes when the last instance sharing it stops),
     * closes idle connections, lets each response in flight finish and then closes its connection; what is still
     * being sent when the grace period ends is cut off. {@code close()} would cut everything at once.
     */
    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture()
                : server.shutdown(services.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
    }
}
