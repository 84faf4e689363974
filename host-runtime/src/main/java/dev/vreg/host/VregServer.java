package dev.vreg.host;

import dev.vreg.host.api.AdminApi;
import dev.vreg.host.api.ApiContract;
import dev.vreg.host.identity.AdminBootstrap;
import dev.vreg.host.identity.Authenticator;
import dev.vreg.host.identity.GroupStore;
import dev.vreg.host.identity.UserStore;
import dev.vreg.host.secrets.CredentialCipher;
import dev.vreg.host.secrets.EncryptionKeyFile;
import dev.vreg.host.secrets.SecretRewrap;
import dev.vreg.host.identity.Sessions;
import dev.vreg.host.identity.TokenStore;
import dev.vreg.host.cache.CacheRepository;
import dev.vreg.host.cache.EntryPulls;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.audit.AuditTrail;
import dev.vreg.host.audit.WebhookDispatcher;
import dev.vreg.host.audit.WebhookStore;
import dev.vreg.host.audit.Webhooks;
import dev.vreg.host.db.BatchedWriter;
import dev.vreg.host.policy.AuditLog;
import dev.vreg.host.policy.FilterStore;
import dev.vreg.host.policy.Policies;
import dev.vreg.host.policy.WithdrawnVersions;
import dev.vreg.host.policy.lifecycle.Lifecycle;
import dev.vreg.host.policy.lifecycle.LifecycleStore;
import dev.vreg.host.legacy.LegacyProjects;
import dev.vreg.host.pull.ReadyAnswers;
import dev.vreg.host.pull.SmallFiles;
import dev.vreg.host.pull.GitLabGoProxyRoute;
import dev.vreg.host.db.ChangeListener;
import dev.vreg.host.cluster.AdvisoryLocks;
import dev.vreg.host.db.Database;
import dev.vreg.host.db.DatabaseEndpoint;
import dev.vreg.host.db.DatabaseHealth;
import dev.vreg.host.db.Migrations;
import dev.vreg.host.db.Notify;
import dev.vreg.host.http.HttpVerticle;
import dev.vreg.host.http.ReadinessChecks;
import dev.vreg.host.jobs.Job;
import dev.vreg.host.jobs.JobRunner;
import dev.vreg.host.jobs.JobStore;
import dev.vreg.host.metrics.ConnectionGauges;
import dev.vreg.host.plugins.HostPluginContext;
import dev.vreg.host.plugins.PluginHost;
import dev.vreg.host.proxy.ArtifactReader;
import dev.vreg.host.proxy.ArtifactService;
import dev.vreg.host.proxy.ContentResolver;
import dev.vreg.host.registry.Bootstrap;
import dev.vreg.host.registry.RegistryDirectory;
import dev.vreg.host.sumdb.ChecksumDatabases;
import dev.vreg.host.sumdb.ChecksumStore;
import dev.vreg.host.registry.RegistryRepository;
import dev.vreg.host.registry.RegistryStore;
import dev.vreg.host.upstream.UpstreamClients;
import dev.vreg.host.upstream.UpstreamOpener;
import dev.vreg.host.upstream.UpstreamStore;
import dev.vreg.host.upstream.address.AddressRule;
import dev.vreg.host.upstream.address.UrlAddressCheck;
import dev.vreg.host.config.ConfigException;
import dev.vreg.host.storage.BlobCollector;
import dev.vreg.host.storage.BlobStores;
import dev.vreg.host.storage.api.StorageHandler;
import dev.vreg.host.storage.ManagedBlobStore;
import dev.vreg.host.storage.StorageFailures;
import dev.vreg.host.tls.HttpsSetup;
import dev.vreg.host.vanity.VanityDirectory;
import dev.vreg.host.vanity.VanityPages;
import dev.vreg.host.vanity.VanityStore;
import dev.vreg.host.stats.MeteredBlobStore;
import dev.vreg.host.stats.MeteredUpstreamClient;
import dev.vreg.host.stats.NodeMeters;
import dev.vreg.host.stats.Statistics;
import dev.vreg.host.stats.StatisticsSettings;
import dev.vreg.host.stats.UsageMeters;
import dev.vreg.spi.storage.BlobStore;
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
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnectOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running vreg node. Start-up is one chain: database (embedded or external) → migrations → storage → plugins →
 * bootstrap → HTTP. {@link #close()} undoes it in reverse. Connections to the database, the pool's and the one that
 * listens for changes, are opened again whenever they are lost, on wherever {@link Database} says it is.
 */
public final class VregServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VregServer.class);

    /** Keys a batched writer holds at most while the database cannot be written. */
    private static final int MAX_PENDING_RECORDS = 100_000;
    /** How long one step of {@link #close()} may take beyond what it is allowed by configuration. */
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);
    /** How often rows past the statistics retention are deleted. */
    private static final Duration STATISTICS_RETENTION_PERIOD = Duration.ofHours(1);
    /** How often audit events past their retention are deleted. */
    private static final Duration AUDIT_RETENTION_PERIOD = Duration.ofHours(1);

    private final VregConfig config;
    private final Clock clock;
    private final Vertx vertx;
    /** Added to by the parts of start-up that run side by side. */
    private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();
    /** Closed once requests have stopped, while the database is still there. */
    private final List<BatchedWriter<?, ?>> writers = new ArrayList<>();
    private Pool pool;
    private BatchedWriter<Long, EntryPulls> downloads;
    private ReadyAnswers readyAnswers = ReadyAnswers.NONE;
    private Statistics statistics;
    private BatchedWriter<Long, Instant> lastUsed;
    private Policies policies;
    private AuditTrail auditTrail;
    private BlobCollector collector;
    private JobRunner jobs;
    private volatile boolean ready;
    /** The newest schema version this build knows, which start-up migrated the database to. */
    private volatile String schemaVersion;
    private boolean closed;
    private int port;
    private HttpsSetup https;
    private int httpsPort;
    /** The configured key, or the embedded default's generated one. */
    private volatile String encryptionKey;
    private final StartupSteps steps;

    private VregServer(VregConfig config, Clock clock, Vertx vertx, StartupSteps steps) {
        this.config = config;
        this.steps = steps;
        this.clock = clock;
        this.vertx = vertx;
        this.encryptionKey = config.security.encryptionKey;
    }

    /** Starts a node and waits until it serves requests. */
    public static VregServer start(VregConfig config) throws Exception {
        return start(config, Clock.systemUTC());
    }

    /** As {@link #start(VregConfig)}, telling time by {@code clock}: tests move it on instead of waiting. */
    public static VregServer start(VregConfig config, Clock clock) throws Exception {
        addressRule(config);
        StartupSteps steps = new StartupSteps();
        // The data directory comes first: everything else of the node lives in it.
        Files.createDirectories(config.dataDir.toAbsolutePath().normalize());
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        prometheus.config().meterFilter(new ConnectionGauges());
        Vertx vertx = steps.time("Vert.x", () -> Vertx.builder()
                .with(new VertxOptions()
                        // epoll on Linux when its native library loads (x86-64 and AArch64 ship with vreg), else NIO.
                        .setPreferNativeTransport(true)
                        .setBlockedThreadCheckInterval(1000)
                        // A thread blocked past the limit is logged with its stack at once, not only after 5 s.
                        .setWarningExceptionTime(VertxOptions.DEFAULT_MAX_EVENT_LOOP_EXECUTE_TIME)
                        .setWarningExceptionTimeUnit(VertxOptions.DEFAULT_MAX_EVENT_LOOP_EXECUTE_TIME_UNIT)
                        // Vert.x's HTTP server meters look each of theirs up by tags on every request, which cost a
                        // fifth of the busiest requests' time; pulls and API calls have meters of vreg's own.
                        .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
                                .setJvmMetricsEnabled(true)
                                .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER)))
                .withMetrics(new MicrometerMetricsFactory(prometheus))
                .build());
        VregServer server = new VregServer(config, clock, vertx, steps);
        try {
            server.boot(prometheus).toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
            return server;
        } catch (ExecutionException e) {
            server.close();
            // A configuration problem found by a step (TLS key files, say) is reported as such.
            if (e.getCause() instanceof ConfigException configProblem) {
                throw configProblem;
            }
            throw e;
        } catch (Exception e) {
            server.close();
            throw e;
        }
    }

    /**
     * The parts that do not depend on each other start side by side, each on a worker thread of its own: the
     * database and its schema, the TLS material, the blob store and plugins, and the admin API's contract. The
     * rest is wired once all of them are there; a failed part fails the start after the others have finished, so
     * that {@link #close()} finds everything that was started.
     */
    private Future<Void> boot(PrometheusMeterRegistry prometheus) {
        Path dataDir = config.dataDir.toAbsolutePath().normalize();
        boolean embedded = config.database.url == null || config.database.url.isBlank();
        Future<Database> database = vertx.executeBlocking(() -> {
            Database db;
            if (embedded) {
                db = steps.time("embedded PostgreSQL", () -> Database.embedded(dataDir,
                        config.database.embeddedBinaries, config.database.recoveryTimeout));
                resources.add(db);
                LOG.info("Embedded PostgreSQL running on {}:{} with data in {}", db.endpoint().host(),
                        db.endpoint().port(), dataDir.resolve("postgres"));
                db.embedded().beforeExitStop(this::close);
                if (encryptionKey == null || encryptionKey.isBlank()) {
                    Path keyFile = dataDir.resolve("encryption.key");
                    encryptionKey = EncryptionKeyFile.loadOrCreate(keyFile);
                    LOG.info("Upstream credentials are encrypted with the key in {} (set security.encryptionKey to "
                            + "use your own)", keyFile);
                }
            } else {
                db = Database.external(DatabaseEndpoint.fromConfig(config.database));
            }
            schemaVersion = steps.time("schema", () -> Migrations.migrate(db.endpoint()));
            return db;
        }, false);
        // Key files are read and the embedded default's certificates made before anything serves, so a broken TLS
        // setup stops the start.
        Future<HttpsSetup> tls = vertx.executeBlocking(() -> steps.time("TLS",
                () -> HttpsSetup.prepare(config, dataDir, embedded, clock)), false);
        Future<ManagedBlobStore> blobStore = vertx.executeBlocking(() -> {
            ManagedBlobStore blobs = steps.time("blob store", () -> BlobStores.open(vertx, config));
            resources.add(blobs);
            LOG.info("Blobs are stored in the {}", BlobStores.describe(config));
            return blobs;
        }, false);
        Future<PluginHost> pluginHost = vertx.executeBlocking(() -> {
            PluginHost plugins = steps.time("plugins", () -> PluginHost.load(config.plugins.dir.toAbsolutePath(),
                    Version.PLATFORM));
            resources.add(plugins);
            return plugins;
        }, false);
        Future<ApiContract> contract = steps.timeAsync("admin API contract", () -> ApiContract.load(vertx));
        return Future.join(database, tls, blobStore, pluginHost, contract).compose(all -> {
            https = tls.result();
            return wire(database.result(), blobStore.result(), pluginHost.result(), contract.result(), prometheus);
        });
    }

    private Future<Void> wire(Database database, ManagedBlobStore blobs, PluginHost plugins, ApiContract contract,
                              PrometheusMeterRegistry prometheus) {
        long wireBegin = System.currentTimeMillis();
        // The pool opens connections on demand and drops those the server closed, so it needs no reconnecting.
        pool = PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(config.database.poolSize).setName("vreg"))
                .connectingTo(() -> Future.<SqlConnectOptions>succeededFuture(database.connectOptions()))
                .using(vertx)
                .build();
        AddressRule addressRule = addressRule(config);
        HostPluginContext context = new HostPluginContext(vertx, config.upstreams.connectTimeout,
                config.upstreams.readTimeout, clock, prometheus, Version.PLATFORM, addressRule);
        UrlAddressCheck addresses = new UrlAddressCheck(vertx, addressRule);
        Optional<CredentialCipher> cipher = CredentialCipher.fromConfig(encryptionKey,
                config.security.previousEncryptionKeys);
        UpstreamOpener opener = new UpstreamOpener(plugins, cipher, context::forUpstream,
                config.upstreams.connectTimeout, config.upstreams.readTimeout, config.upstreams.transferLimits());
        UsageMeters usageMeters = new UsageMeters(prometheus);
        statistics = new Statistics(vertx, pool, usageMeters, clock, new StatisticsSettings(
                config.statistics.flushInterval, config.statistics.hourlyRetention, config.statistics.dailyRetention,
                MAX_PENDING_RECORDS));
        writers.addAll(statistics.writers());
        UpstreamClients clients = new UpstreamClients(opener,
                (upstream, client) -> new MeteredUpstreamClient(client, upstream, statistics));
        resources.add(clients);
        ManagedBlobStore meteredBlobs = new MeteredBlobStore(blobs, usageMeters);
        RegistryDirectory registries = new RegistryDirectory(
                new RegistryRepository(pool, config.cache.metadataValidity), clock, Duration.ofSeconds(30));
        CacheRepository cache = new CacheRepository(pool, config.storage.collection.grace, clock);
        BlobCollector collector = new BlobCollector(vertx, blobs, cache, pool, config.storage.collection.grace, clock);
        this.collector = collector;
        downloads = writer("download count", config.cache.downloadsFlushInterval, EntryPulls::plus,
                cache::addDownloads);
        StorageFailures storage = new StorageFailures(prometheus);
        ChecksumDatabases checksums = new ChecksumDatabases(vertx, new ChecksumStore(pool), blobs, clients,
                context.createHttpClient(context.httpClientOptions()), clock, prometheus);
        registries.onInvalidate(checksums::forgetSettings);
        // One fetch per file across every node on this database: advisory locks on a session of their own. The
        // embedded database belongs to this node alone, whose own flights already fetch each file once.
        AdvisoryLocks fetchLocks = database.embedded() != null ? null
                : new AdvisoryLocks(vertx, database::connectOptions);
        if (fetchLocks != null) {
            resources.add(fetchLocks);
        }
        ArtifactService artifacts = new ArtifactService(vertx, clients, meteredBlobs, storage, cache, clock,
                config.cache.notFoundValidity, config.cache.maxMetadataBytes, config.cache.anonymousMissesPerMinute,
                prometheus, checksums.gate(), statistics::waited, fetchLocks,
                config.upstreams.connectTimeout.plus(config.upstreams.transferDeadline));
        // Work for the whole fleet runs as scheduled jobs, each on one node at a time, under an advisory lock held on
        // a session of its own.
        AdvisoryLocks jobLocks = new AdvisoryLocks(vertx, database::connectOptions);
        resources.add(jobLocks);
        JobRunner jobs = new JobRunner(vertx, new JobStore(pool), jobLocks, usageMeters, clock,
                config.jobs.node != null && !config.jobs.node.isBlank() ? config.jobs.node
                        : JobRunner.defaultNodeName());
        this.jobs = jobs;
        if (!config.storage.collection.interval.isZero()) {
            jobs.add(new Job("blob-collection", "blob_collection", config.storage.collection.interval,
                    run -> collector.collect(BlobCollector.Trigger.SCHEDULED).compose(done -> done.error() == null
                            ? Future.succeededFuture(done) : Future.failedFuture(done.error()))));
        }
        // Remembered misses past their validity are no use to any node; one node deleting them is as good as all.
        jobs.add(new Job("not-found-sweep", "not_found_sweep",
                Duration.ofMillis(Math.max(1_000, config.cache.notFoundValidity.toMillis())),
                run -> cache.deleteExpiredNotFound(config.cache.notFoundValidity)));
        jobs.add(new Job("statistics-retention", "statistics_retention", STATISTICS_RETENTION_PERIOD,
                run -> statistics.expire()));
        prometheus.gauge("vreg.upstream.fetches.in.flight", artifacts.content(), ContentResolver::inFlight);
        // Configuration and cache changes (local, or NOTIFY vreg_config from any node) drop remembered answers.
        registries.onInvalidate(artifacts.content()::forgetHits);
        registries.onInvalidate(artifacts.metadata()::forgetMerged);
        VregConfig.GitLabGoProxy legacyRoute = config.compat.gitlabGoProxy;
        LegacyProjects legacyProjects = new LegacyProjects(pool);
        BatchedWriter<LegacyProjects.CallerKey, Long> legacyCallers = legacyRoute.enabled
                ? writer("GitLab Go proxy route callers", config.cache.downloadsFlushInterval, Long::sum,
                        legacyProjects::count)
                : null;
        Webhooks webhooks = webhooks(context, cipher);
        AuditLog auditLog = new AuditLog(pool).notifying(webhooks);
        Policies policies = new Policies(new FilterStore(pool), auditLog,
                writer("audit event", config.cache.downloadsFlushInterval, (older, newer) -> older, auditLog::write),
                new WithdrawnVersions(new ArtifactReader(vertx, artifacts, meteredBlobs)::read, registries));
        registries.onInvalidate(policies.filters()::invalidateAll);
        this.policies = policies;
        AuditTrail auditTrail = new AuditTrail(policies);
        this.auditTrail = auditTrail;
        jobs.add(new Job("audit-retention", "audit_retention", AUDIT_RETENTION_PERIOD,
                run -> expireAudit(auditLog, webhooks)));
        Lifecycle lifecycle = new Lifecycle(new LifecycleStore(pool), cache, collector, auditLog, plugins::format,
                clock);
        jobs.add(lifecycle);
        TokenStore tokens = new TokenStore(pool);
        lastUsed = writer("token last use", config.auth.lastUsedFlushInterval,
                (older, newer) -> newer.isAfter(older) ? newer : older, tokens::touch);
        AdminApi.Limits limits = new AdminApi.Limits(config.limits.registriesPerGroupAndFormat,
                config.limits.upstreamsPerRegistry);
        DatabaseHealth health = database.health();
        // With S3 the local disk that can fill up is the one uploads are spooled on.
        resources.add(NodeMeters.register(vertx, prometheus, pool, config.database.poolSize, health,
                "s3".equals(config.storage.type) ? config.s3TempDir() : config.blobDir()));
        HealthCheckHandler readiness = HealthCheckHandler.create(vertx);
        readiness.register("database", promise -> {
            if (!health.up()) {
                promise.complete(Status.KO(new JsonObject().put("reason", health.reason())));
                return;
            }
            pool.query("SELECT 1").execute()
                    .onSuccess(rows -> promise.complete(ready ? Status.OK() : Status.KO()))
                    .onFailure(e -> promise.complete(Status.KO()));
        });
        // A full or failing disk under the blob store makes every fetch fail; the probe writes the way a fetch does.
        readiness.register("blobStore", promise -> blobs.probe()
                .onSuccess(v -> promise.complete(Status.OK()))
                .onFailure(e -> promise.complete(Status.KO(new JsonObject()
                        .put("reason", e instanceof dev.vreg.spi.VregException already
                                && already.kind() == dev.vreg.spi.ErrorKind.STORAGE_UNAVAILABLE
                                ? already.getMessage()
                                : storage.failed(StorageFailures.Operation.PROBE, e).getMessage())))));
        ReadinessChecks.plugins(readiness, plugins.plugins(), config.plugins.dir.toAbsolutePath());
        ReadinessChecks.migrations(readiness, pool, schemaVersion);

        VanityDirectory vanityPrefixes = new VanityDirectory(new VanityStore(pool), clock, Duration.ofSeconds(30));
        registries.onInvalidate(vanityPrefixes::invalidate);
        VanityPages vanity = new VanityPages(vanityPrefixes, plugins.formats(), this::discoveryBaseUrl);
        RegistryStore registryStore = new RegistryStore(pool);
        UpstreamStore upstreamStore = new UpstreamStore(pool, registryStore::unlinkEverywhere);
        Bootstrap bootstrap = new Bootstrap(pool, new GroupStore(pool), registryStore, upstreamStore);
        Future<Void> rewrapped = cipher.map(c -> new SecretRewrap(pool, upstreamStore, c).run().<Void>mapEmpty())
                .orElse(Future.succeededFuture());
        steps.record("wiring", wireBegin);
        return rewrapped
                .compose(v -> steps.timeAsync("sessions", () -> Sessions.load(vertx, pool, cipher, clock, config.auth.sessionValidity)))
                .compose(sessions -> {
                    Authenticator authenticator = new Authenticator(tokens, sessions, lastUsed, clock,
                            config.auth.tokenCacheValidity);
                    GitLabGoProxyRoute gitlabRoute = legacyCallers == null ? null
                            : new GitLabGoProxyRoute(registries, legacyProjects, authenticator, legacyCallers,
                                    prometheus, new GitLabGoProxyRoute.Settings(legacyRoute.deprecatedAt,
                                    legacyRoute.sunsetAt, legacyRoute.guideUrl != null ? legacyRoute.guideUrl
                                    : HttpVerticle.MIGRATION_GUIDE));
                    AdminApi admin = new AdminApi(contract, pool, authenticator, sessions, registries, plugins,
                            limits, cipher, opener, addresses, clock, legacyRoute.enabled)
                            .withStorage(new StorageHandler(config.storage.type, cache, collector), collector)
                            .withPolicies(policies)
                            .withAudit(auditTrail, webhooks)
                            .withJobs(jobs)
                            .withLifecycle(lifecycle, jobs);
                    return serve(database, registries, authenticator, bootstrap, addresses, admin,
                            new HttpVerticle.Services(config.http.host, config.http.port, plugins.formats(),
                                    registries, artifacts, meteredBlobs, downloads, readiness, health, prometheus,
                                    authenticator, admin, https.main(), config.http.shutdownGrace, vanity, checksums,
                                    gitlabRoute, statistics, policies, readyAnswers(registries, downloads,
                                    statistics)));
                })
                .map(actualPort -> {
                    port = actualPort;
                    ready = true;
                    resources.add(jobs.start(config.jobs.tick));
                    LOG.info("vreg {} listening on {}:{}", Version.PLATFORM, config.http.host, port);
                    LOG.debug("Network transport: {}", vertx.isNativeTransportEnabled() ? "native" : "NIO");
                    LOG.info("Ready {}", steps.summary());
                    if (plugins.format("go").isPresent()) {
                        LOG.info("Go registry ready: GOPROXY={}/go/{}/{}", baseUrl(), Bootstrap.GROUP,
                                Bootstrap.REGISTRY);
                    }
                    if (https.port() != null) {
                        LOG.info("HTTPS on {}: GOPROXY={}/go/{}/{}", httpsPort, httpsBaseUrl(), Bootstrap.GROUP,
                                Bootstrap.REGISTRY);
                    }
                    if (https.caFile() != null) {
                        LOG.info("The HTTPS certificate is issued by vreg's private CA; go clients trust it with "
                                + "SSL_CERT_FILE={}", https.caFile());
                    }
                    return null;
                });
    }

    /** Where upstreams may connect: public addresses, and the blocks {@code upstreams.allowedNetworks} adds. */
    private static AddressRule addressRule(VregConfig config) {
        try {
            return AddressRule.allowingNetworks(config.upstreams.allowedNetworks);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("upstreams.allowedNetworks: " + e.getMessage());
        }
    }

    /** The groups' webhooks, sent through a client that follows the address rule of upstreams. */
    private Webhooks webhooks(HostPluginContext context, Optional<CredentialCipher> cipher) {
        VregConfig.Webhooks settings = config.audit.webhooks;
        WebhookStore store = new WebhookStore(pool);
        WebhookDispatcher dispatcher = new WebhookDispatcher(vertx, store, cipher,
                context.createHttpClient(context.httpClientOptions()
                        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.timeout.toMillis()))
                        .setKeepAlive(false)),
                clock, new WebhookDispatcher.Settings(settings.attempts, settings.backoff, settings.timeout),
                Version.PLATFORM).start();
        resources.add(dispatcher::stop);
        return new Webhooks(store, dispatcher);
    }

    /** Deletes audit events past {@code audit.retention} and finished deliveries past their retention. */
    private Future<Integer> expireAudit(AuditLog auditLog, Webhooks webhooks) {
        Instant now = clock.instant();
        return auditLog.expire(now.minus(config.audit.retention))
                .compose(v -> webhooks.store().expire(now.minus(config.audit.webhooks.deliveryRetention)));
    }

    private <K, V> BatchedWriter<K, V> writer(String what, Duration interval, BinaryOperator<V> merge,
                                              Function<Map<K, V>, Future<Void>> write) {
        BatchedWriter<K, V> writer = BatchedWriter.start(vertx,
                new BatchedWriter.Settings(what, interval, MAX_PENDING_RECORDS), merge, write);
        writers.add(writer);
        return writer;
    }

    /** Bootstraps what the first start needs and starts the HTTP verticles; answers the port they listen on. */
    private Future<Integer> serve(Database database, RegistryDirectory registries,
                                  Authenticator authenticator, Bootstrap bootstrap, UrlAddressCheck addresses,
                                  AdminApi admin,
                                  HttpVerticle.Services services) {
        List<String> upstreams = config.bootstrap.goUpstreams;
        boolean explicit = upstreams != null;
        return steps.timeAsync("listen", () -> listenForChanges(database, registries, authenticator))
                .compose(v -> steps.timeAsync("bootstrap", () -> bootstrap.run(explicit ? upstreams : VregConfig.DEFAULT_GO_UPSTREAMS, explicit)))
                .onSuccess(v -> {
                    if (explicit) {
                        warnOfRefusedAddresses(addresses, upstreams);
                    }
                })
                .compose(v -> steps.timeAsync("admin", () -> new AdminBootstrap(pool, new UserStore(pool), new TokenStore(pool), System.out)
                        .run(config.auth.adminToken)))
                .compose(v -> {
                    int instances = config.http.port == 0 ? 1 : Math.max(1, Runtime.getRuntime().availableProcessors());
                    List<HttpVerticle> verticles = new ArrayList<>();
                    return steps.timeAsync("http", () -> vertx.deployVerticle(() -> {
                        HttpVerticle verticle = new HttpVerticle(services);
                        verticles.add(verticle);
                        return verticle;
                    }, new DeploymentOptions().setInstances(instances)).map(id -> verticles.get(0).actualPort()));
                })
                .compose(mainPort -> https.port() == null ? Future.succeededFuture(mainPort)
                        : steps.timeAsync("https", () -> deployHttps(services)).map(actual -> {
                            httpsPort = actual;
                            return mainPort;
                        }));
    }

    /** The second listener, HTTPS only, beside plain HTTP; answers the port it listens on. */
    private Future<Integer> deployHttps(HttpVerticle.Services plain) {
        HttpVerticle.Services services = HttpsSetup.listener(plain, https.port(), https.second());
        List<HttpVerticle> verticles = new ArrayList<>();
        return vertx.deployVerticle(() -> {
            HttpVerticle verticle = new HttpVerticle(services);
            verticles.add(verticle);
            return verticle;
        }, new DeploymentOptions().setInstances(Math.max(1, Runtime.getRuntime().availableProcessors())))
                .map(id -> verticles.get(0).actualPort());
    }

    /**
     * The operator's own upstreams are not checked when the bootstrap saves them, but they connect under the same
     * address rule; one it refuses is said at start rather than discovered at the first pull.
     */
    private static void warnOfRefusedAddresses(UrlAddressCheck addresses, List<String> upstreams) {
        for (String url : upstreams) {
            addresses.check(url, false).onSuccess(verdict -> {
                if (verdict.refusal() != null) {
                    LOG.warn("Upstream {} of the default registry cannot be used: {}; list its network in "
                            + "upstreams.allowedNetworks", url, verdict.refusal());
                }
            });
        }
    }

    /**
     * The copies in memory of small cached files and the answers ready to send them, dropped whenever configuration
     * or the cache changes anywhere.
     */
    private ReadyAnswers readyAnswers(RegistryDirectory registries, BatchedWriter<Long, EntryPulls> downloads,
                                      Statistics statistics) {
        ReadyAnswers ready = new ReadyAnswers(SmallFiles.of(vertx, config.cache.memoryFileBytes,
                config.cache.memoryBytes), downloads, statistics);
        registries.onInvalidate(ready::forget);
        this.readyAnswers = ready;
        return ready;
    }

    /**
     * Configuration and identity changes made by any node reach every node's in-memory caches. After the listening
     * connection was lost both are dropped, since a change may have been missed.
     */
    private Future<Void> listenForChanges(Database database, RegistryDirectory registries,
                                          Authenticator authenticator) {
        ChangeListener listener = new ChangeListener(vertx, database::connectOptions, Map.of(
                Notify.CONFIG, registries::invalidateAll,
                "vreg_auth", authenticator::invalidateAll), () -> {
                    registries.invalidateAll();
                    authenticator.invalidateAll();
                });
        resources.add(listener);
        return listener.start();
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

    /** The base URL of the HTTPS listener: the main one's when it serves HTTPS, else the second's; null if none. */
    public String httpsBaseUrl() {
        if (config.http.tls.enabled()) {
            return baseUrl();
        }
        if (https == null || https.port() == null) {
            return null;
        }
        String host = "0.0.0.0".equals(config.http.host) ? "127.0.0.1" : config.http.host;
        return "https://" + host + ":" + httpsPort;
    }

    /** Where discovery pages send clients: the public URL when set, else HTTPS (go sends credentials only there). */
    private String discoveryBaseUrl() {
        if (config.http.publicUrl != null && !config.http.publicUrl.isBlank()) {
            return config.publicUrl();
        }
        String secure = httpsBaseUrl();
        return secure != null ? secure : baseUrl();
    }

    /** The generated CA's certificate on the embedded default, for {@code SSL_CERT_FILE}; null when not generated. */
    public Path caFile() {
        return https == null ? null : https.caFile();
    }

    public Vertx vertx() {
        return vertx;
    }

    /** Batches of token last-use times; tests flush it instead of waiting for its timer. */
    public BatchedWriter<Long, Instant> lastUsedTokens() {
        return lastUsed;
    }

    /** Collects unreferenced blobs; tests run it instead of waiting for its timer. */
    public BlobCollector blobCollector() {
        return collector;
    }

    /** The scheduled jobs; tests tick them instead of waiting for the timer. */
    public JobRunner jobs() {
        return jobs;
    }

    /** Batches of download counts per cache entry; tests flush it instead of waiting for its timer. */
    /** The filter rules and audit events. */
    public Policies policies() {
        return policies;
    }

    /** Where audit events are recorded; tests flush it before they read the log. */
    public AuditTrail audit() {
        return auditTrail;
    }

    public BatchedWriter<Long, EntryPulls> downloads() {
        return downloads;
    }

    /** The answers this node sends before the pull stages; tests look at what is kept. */
    public ReadyAnswers readyAnswers() {
        return readyAnswers;
    }

    /** Usage statistics; tests flush them instead of waiting for their timer. */
    public Statistics statistics() {
        return statistics;
    }

    public Pool pool() {
        return pool;
    }

    public VregConfig config() {
        return config;
    }

    /**
     * Stops in order: no new connections; the responses in flight finish (for up to {@code http.shutdownGrace});
     * the batched writers write what those responses recorded; then the pools, Vert.x and the embedded database.
     * Idempotent; an exiting JVM may call it from two shutdown hooks at once, and the second waits.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        ready = false;
        Duration grace = config.http.shutdownGrace;
        if (!vertx.deploymentIDs().isEmpty()) {
            LOG.info("No longer accepting connections; letting the responses in flight finish for up to {}",
                    grace.toMillis() % 1000 == 0 ? grace.toSeconds() + "s" : grace.toMillis() + "ms");
        }
        // Requests stop first, so nothing is recorded after the writers' last batch.
        await(Future.join(vertx.deploymentIDs().stream().map(vertx::undeploy).toList()), grace.plus(STEP_TIMEOUT));
        writers.forEach(writer -> await(writer.close()));
        writers.clear();
        for (int i = resources.size() - 1; i >= 0; i--) {
            AutoCloseable resource = resources.get(i);
            if (resource instanceof Database) {
                continue;
            }
            closeQuietly(resource);
        }
        if (pool != null) {
            await(pool.close());
        }
        await(vertx.close());
        resources.stream().filter(r -> r instanceof Database).forEach(VregServer::closeQuietly);
        resources.clear();
    }

    private static void await(Future<?> future) {
        await(future, STEP_TIMEOUT);
    }

    private static void await(Future<?> future, Duration timeout) {
        try {
            future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
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
