package dev.vreg.host;

import dev.vreg.host.api.AdminApi;
import dev.vreg.host.api.ApiContract;
import dev.vreg.host.upstream.api.ConnectionTestHandler;
import dev.vreg.host.identity.AdminBootstrap;
import dev.vreg.host.identity.Authenticator;
import dev.vreg.host.secrets.CredentialCipher;
import dev.vreg.host.secrets.EncryptionKeyFile;
import dev.vreg.host.identity.LastUsedRecorder;
import dev.vreg.host.secrets.SecretRewrap;
import dev.vreg.host.identity.Sessions;
import dev.vreg.host.identity.TokenRepository;
import dev.vreg.host.cache.CacheRepository;
import dev.vreg.host.cache.DownloadCounter;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.db.DatabaseEndpoint;
import dev.vreg.host.db.Migrations;
import dev.vreg.host.http.HttpVerticle;
import dev.vreg.host.plugins.HostPluginContext;
import dev.vreg.host.plugins.PluginHost;
import dev.vreg.host.db.postgres.EmbeddedPostgres;
import dev.vreg.host.proxy.ArtifactService;
import dev.vreg.host.proxy.ContentResolver;
import dev.vreg.host.registry.Bootstrap;
import dev.vreg.host.registry.RegistryDirectory;
import dev.vreg.host.registry.RegistryRepository;
import dev.vreg.host.upstream.UpstreamClients;
import dev.vreg.host.storage.FileSystemBlobStore;
import dev.vreg.host.storage.StorageFailures;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.ext.healthchecks.Status;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running vreg node. Start-up is one chain: database (embedded or external) → migrations → storage → plugins →
 * bootstrap → HTTP. {@link #close()} undoes it in reverse.
 */
public final class VregServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VregServer.class);

    private final VregConfig config;
    private final Vertx vertx;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private Pool pool;
    private LastUsedRecorder lastUsed;
    private volatile boolean ready;
    private int port;
    /** The configured key, or the embedded default's generated one. */
    private volatile String encryptionKey;

    private VregServer(VregConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
        this.encryptionKey = config.security.encryptionKey;
    }

    /** Starts a node and waits until it serves requests. */
    public static VregServer start(VregConfig config) throws Exception {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Vertx vertx = Vertx.builder()
                .with(new VertxOptions()
                        .setBlockedThreadCheckInterval(1000)
                        .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
                                .setJvmMetricsEnabled(true)))
                .withMetrics(new MicrometerMetricsFactory(prometheus))
                .build();
        VregServer server = new VregServer(config, vertx);
        try {
            server.boot(prometheus).toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
            return server;
        } catch (Exception e) {
            server.close();
            throw e;
        }
    }

    private Future<Void> boot(PrometheusMeterRegistry prometheus) {
        Path dataDir = config.dataDir.toAbsolutePath().normalize();
        Future<DatabaseEndpoint> database = vertx.executeBlocking(() -> {
            Files.createDirectories(dataDir);
            DatabaseEndpoint endpoint;
            if (config.database.url == null || config.database.url.isBlank()) {
                EmbeddedPostgres embedded = EmbeddedPostgres.start(dataDir);
                resources.add(embedded);
                endpoint = new DatabaseEndpoint(embedded.host(), embedded.port(), embedded.database(),
                        embedded.user(), embedded.password());
                LOG.info("Embedded PostgreSQL running on {}:{} with data in {}", embedded.host(), embedded.port(),
                        dataDir.resolve("postgres"));
                if (encryptionKey == null || encryptionKey.isBlank()) {
                    Path keyFile = dataDir.resolve("encryption.key");
                    encryptionKey = EncryptionKeyFile.loadOrCreate(keyFile);
                    LOG.info("Upstream credentials are encrypted with the key in {} (set security.encryptionKey to "
                            + "use your own)", keyFile);
                }
            } else {
                endpoint = DatabaseEndpoint.fromUrl(config.database.url);
            }
            Migrations.migrate(endpoint);
            return endpoint;
        });
        return database.compose(endpoint -> vertx.executeBlocking(() -> {
            FileSystemBlobStore blobs = FileSystemBlobStore.open(vertx, config.blobDir());
            PluginHost plugins = PluginHost.load(config.plugins.dir.toAbsolutePath(), Version.PLATFORM);
            resources.add(plugins);
            return new Object[] {endpoint, blobs, plugins};
        })).compose(parts -> wire((DatabaseEndpoint) parts[0], (FileSystemBlobStore) parts[1],
                (PluginHost) parts[2], prometheus));
    }

    private Future<Void> wire(DatabaseEndpoint endpoint, FileSystemBlobStore blobs, PluginHost plugins,
                              PrometheusMeterRegistry prometheus) {
        pool = PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(config.database.poolSize).setName("vreg"))
                .connectingTo(endpoint.connectOptions())
                .using(vertx)
                .build();
        Clock clock = Clock.systemUTC();
        HostPluginContext context = new HostPluginContext(vertx, config.upstreams.connectTimeout,
                config.upstreams.readTimeout, clock, prometheus, Version.PLATFORM);
        Optional<CredentialCipher> cipher = CredentialCipher.fromConfig(encryptionKey,
                config.security.previousEncryptionKeys);
        UpstreamClients clients = new UpstreamClients(plugins, cipher, context, config.upstreams.connectTimeout,
                config.upstreams.readTimeout);
        resources.add(clients);
        RegistryDirectory registries = new RegistryDirectory(
                new RegistryRepository(pool, config.cache.metadataValidity), clock, Duration.ofSeconds(30));
        CacheRepository cache = new CacheRepository(pool);
        DownloadCounter downloads = new DownloadCounter(vertx, cache, 2000);
        resources.add(() -> downloads.flush().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        resources.add(downloads);
        StorageFailures storage = new StorageFailures(prometheus);
        ArtifactService artifacts = new ArtifactService(vertx, clients, blobs, storage, cache, clock,
                config.cache.notFoundValidity, config.cache.maxMetadataBytes, config.cache.anonymousMissesPerMinute);
        // Remembered misses past their validity are no use to any node; one node deleting them is as good as all.
        long sweep = vertx.setPeriodic(Math.max(1_000, config.cache.notFoundValidity.toMillis()),
                id -> cache.deleteExpiredNotFound(config.cache.notFoundValidity)
                        .onFailure(e -> LOG.warn("Deleting expired not-found entries failed: {}", e.getMessage())));
        resources.add(() -> vertx.cancelTimer(sweep));
        prometheus.gauge("vreg.upstream.fetches.in.flight", artifacts.content(), ContentResolver::inFlight);
        // Configuration and cache changes (local, or NOTIFY vreg_config from any node) drop remembered answers.
        registries.onInvalidate(artifacts.content()::forgetHits);
        registries.onInvalidate(artifacts.metadata()::forgetMerged);
        TokenRepository tokens = new TokenRepository(pool);
        lastUsed = new LastUsedRecorder(vertx, tokens, config.auth.lastUsedFlushInterval.toMillis());
        resources.add(() -> lastUsed.flush().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        resources.add(lastUsed);
        AdminApi.Limits limits = new AdminApi.Limits(config.limits.registriesPerGroupAndFormat,
                config.limits.upstreamsPerRegistry);
        ConnectionTestHandler.Clients testClients = new ConnectionTestHandler.Clients(plugins, context,
                config.upstreams.connectTimeout, config.upstreams.readTimeout);
        HealthCheckHandler readiness = HealthCheckHandler.create(vertx);
        readiness.register("database", promise -> pool.query("SELECT 1").execute()
                .onSuccess(rows -> promise.complete(ready ? Status.OK() : Status.KO()))
                .onFailure(e -> promise.complete(Status.KO())));
        // A full or failing disk under the blob store makes every fetch fail; the probe writes the way a fetch does.
        readiness.register("blobStore", promise -> blobs.probe()
                .onSuccess(v -> promise.complete(Status.OK()))
                .onFailure(e -> promise.complete(Status.KO(new JsonObject()
                        .put("reason", storage.failed(StorageFailures.Operation.PROBE, e).getMessage())))));

        Future<Void> rewrapped = cipher.map(c -> new SecretRewrap(pool, c).run().<Void>mapEmpty())
                .orElse(Future.succeededFuture());
        return rewrapped
                .compose(v -> Sessions.load(vertx, pool, cipher, clock, config.auth.sessionValidity))
                .compose(sessions -> {
                    Authenticator authenticator = new Authenticator(tokens, sessions, lastUsed, clock,
                            config.auth.tokenCacheValidity);
                    return ApiContract.load(vertx)
                            .map(contract -> new AdminApi(contract, pool, authenticator, sessions, registries,
                                    plugins, limits, cipher, testClients, clock))
                            .compose(admin -> serve(endpoint, registries, authenticator, admin,
                                    new HttpVerticle.Services(config.http.host, config.http.port, plugins.formats(),
                                            registries, artifacts, blobs, downloads, readiness, prometheus,
                                            authenticator, admin, tls())));
                })
                .map(actualPort -> {
                    port = actualPort;
                    ready = true;
                    LOG.info("vreg {} listening on {}:{}", Version.PLATFORM, config.http.host, port);
                    if (plugins.format("go").isPresent()) {
                        LOG.info("Go registry ready: GOPROXY={}/go/{}/{}", baseUrl(), Bootstrap.GROUP,
                                Bootstrap.REGISTRY);
                    }
                    return null;
                });
    }

    private PfxOptions tls() {
        return !config.http.tls.enabled() ? null : new PfxOptions()
                .setPath(config.http.tls.keyStore.toAbsolutePath().toString())
                .setPassword(config.http.tls.keyStorePassword);
    }

    /** Bootstraps what the first start needs and starts the HTTP verticles; answers the port they listen on. */
    private Future<Integer> serve(DatabaseEndpoint endpoint, RegistryDirectory registries,
                                  Authenticator authenticator, AdminApi admin, HttpVerticle.Services services) {
        List<String> upstreams = config.bootstrap.goUpstreams;
        boolean explicit = upstreams != null;
        return listenForChanges(endpoint, registries, authenticator)
                .compose(v -> new Bootstrap(pool).run(explicit ? upstreams : VregConfig.DEFAULT_GO_UPSTREAMS,
                        explicit))
                .compose(v -> new AdminBootstrap(pool, System.out).run(config.auth.adminToken))
                .compose(v -> {
                    int instances = config.http.port == 0 ? 1 : Math.max(1, Runtime.getRuntime().availableProcessors());
                    List<HttpVerticle> verticles = new ArrayList<>();
                    return vertx.deployVerticle(() -> {
                        HttpVerticle verticle = new HttpVerticle(services);
                        verticles.add(verticle);
                        return verticle;
                    }, new DeploymentOptions().setInstances(instances)).map(id -> verticles.get(0).actualPort());
                });
    }

    /** Configuration and identity changes made by any node reach every node's in-memory caches. */
    private Future<Void> listenForChanges(DatabaseEndpoint endpoint, RegistryDirectory registries,
                                          Authenticator authenticator) {
        PgSubscriber subscriber = PgSubscriber.subscriber(vertx, endpoint.connectOptions())
                .reconnectPolicy(retries -> 1000L);
        subscriber.channel("vreg_config").handler(payload -> registries.invalidateAll());
        subscriber.channel("vreg_auth").handler(payload -> authenticator.invalidateAll());
        subscriber.closeHandler(v -> {
            registries.invalidateAll();
            authenticator.invalidateAll();
        });
        resources.add(subscriber::close);
        return subscriber.connect();
    }

    public int port() {
        return port;
    }

    /** The base URL clients use, e.g. {@code http://127.0.0.1:8080}. */
    public String baseUrl() {
        if (config.http.publicUrl != null && !config.http.publicUrl.isBlank()) {
            return config.publicUrl();
        }
        String host = "0.0.0.0".equals(config.http.host) ? "127.0.0.1" : config.http.host;
        return (config.http.tls.enabled() ? "https://" : "http://") + host + ":" + port;
    }

    public Vertx vertx() {
        return vertx;
    }

    /** Batches of token last-use times; tests flush it instead of waiting for its timer. */
    public LastUsedRecorder lastUsedTokens() {
        return lastUsed;
    }

    public Pool pool() {
        return pool;
    }

    public VregConfig config() {
        return config;
    }

    @Override
    public void close() {
        ready = false;
        try {
            vertx.deploymentIDs().forEach(id -> vertx.undeploy(id));
        } catch (RuntimeException ignored) {
            // Closing Vert.x below undeploys whatever is left.
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            AutoCloseable resource = resources.get(i);
            if (resource instanceof EmbeddedPostgres) {
                continue;
            }
            closeQuietly(resource);
        }
        if (pool != null) {
            await(pool.close());
        }
        await(vertx.close());
        resources.stream().filter(r -> r instanceof EmbeddedPostgres).forEach(VregServer::closeQuietly);
        resources.clear();
    }

    private static void await(Future<?> future) {
        try {
            future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Shutdown step did not finish cleanly: {}", e.toString());
        }
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            LOG.warn("Shutdown step did not finish cleanly: {}", e.toString());
        }
    }
}
