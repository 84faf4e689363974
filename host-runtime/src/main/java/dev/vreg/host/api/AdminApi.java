package dev.vreg.host.api;

import dev.vreg.host.legacy.LegacyProjects;
import dev.vreg.host.legacy.api.GitLabProjectsHandler;

import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;

import dev.vreg.host.cache.api.CacheHandler;
import dev.vreg.host.cache.api.RegistryCacheHandler;
import dev.vreg.host.identity.api.GroupsHandler;
import dev.vreg.host.identity.api.MembersHandler;
import dev.vreg.host.identity.api.SessionsHandler;
import dev.vreg.host.identity.api.TokensHandler;
import dev.vreg.host.identity.api.UsersHandler;
import dev.vreg.host.registry.api.LinksHandler;
import dev.vreg.host.registry.api.RegistriesHandler;
import dev.vreg.host.vanity.VanityStore;
import dev.vreg.host.vanity.api.VanityPrefixesHandler;
import dev.vreg.host.stats.StatisticsQueries;
import dev.vreg.host.stats.api.StatisticsHandler;
import dev.vreg.host.stats.api.UsageExportHandler;
import dev.vreg.host.upstream.api.ConnectionTestHandler;
import dev.vreg.host.upstream.api.SettingsCheck;
import dev.vreg.host.upstream.api.UnsavedConnectionTestHandler;
import dev.vreg.host.upstream.api.UpstreamKindsHandler;
import dev.vreg.host.upstream.api.UpstreamsHandler;

import dev.vreg.host.identity.Authenticator;
import dev.vreg.host.identity.GroupStore;
import dev.vreg.host.identity.TokenStore;
import dev.vreg.host.identity.UserStore;
import dev.vreg.host.secrets.CredentialCipher;
import dev.vreg.host.identity.Sessions;
import dev.vreg.host.plugins.PluginHost;
import dev.vreg.host.cache.CacheRepository;
import dev.vreg.host.storage.BlobCollector;
import dev.vreg.host.storage.api.StorageHandler;
import io.vertx.core.Future;
import dev.vreg.host.registry.RegistryDirectory;
import dev.vreg.host.policy.Policies;
import dev.vreg.host.jobs.JobRunner;
import dev.vreg.host.jobs.api.JobsHandler;
import dev.vreg.host.policy.api.LifecycleHandler;
import dev.vreg.host.policy.lifecycle.Lifecycle;
import dev.vreg.host.policy.api.AuditEventsHandler;
import dev.vreg.host.policy.api.FiltersHandler;
import dev.vreg.host.audit.AdminChanges;
import dev.vreg.host.audit.AuditTrail;
import dev.vreg.host.audit.Webhooks;
import dev.vreg.host.audit.api.WebhooksHandler;
import dev.vreg.host.sumdb.ChecksumStore;
import dev.vreg.host.sumdb.api.ChecksumSettingsHandler;
import dev.vreg.host.registry.RegistryStore;
import dev.vreg.host.upstream.ConnectionTests;
import dev.vreg.host.upstream.UpstreamOpener;
import dev.vreg.host.upstream.address.UrlAddressCheck;
import dev.vreg.host.upstream.UpstreamStore;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The admin REST API under {@code /api/v1}: JSON in and out, failures as {@code application/problem+json}, every
 * call authenticated by a personal token (or a session made from one) and authorised by the caller's role in the
 * group it touches.
 */
public final class AdminApi {

    /** Limits that keep one group from growing without bound. */
    public record Limits(int registriesPerGroupAndFormat, int upstreamsPerRegistry) {
    }

    /** Where the admin API's paths start. */
    public static final String PREFIX = "/api/";

    private static final long MAX_BODY_BYTES = 256 * 1024;

    private final GroupsHandler groups;
    private final UsersHandler users;
    private final SessionsHandler sessions;
    private final MembersHandler members;
    private final TokensHandler tokens;
    private final RegistriesHandler registries;
    private final UpstreamsHandler upstreams;
    private final UpstreamKindsHandler upstreamKinds;
    private final LinksHandler links;
    private final CacheHandler cache;
    private final ConnectionTestHandler connectionTests;
    private final UnsavedConnectionTestHandler unsavedConnectionTests;
    private final RegistryCacheHandler registryCaches;
    private final VanityPrefixesHandler vanityPrefixes;
    private final ChecksumSettingsHandler checksumSettings;
    private final GitLabProjectsHandler gitlabProjects;
    private final StatisticsHandler statistics;
    private final UsageExportHandler usageExport;
    private final Authenticator authenticator;
    private final ApiContract contract;
    private StorageHandler storage;
    private final RegistryStore registryStore;
    private final Access access;
    private final PluginHost plugins;
    private final Runnable configChanged;
    private final Clock clock;
    private FiltersHandler filters;
    private AuditEventsHandler auditEvents;
    private final Optional<CredentialCipher> cipher;
    private final UrlAddressCheck addresses;
    /** Records every change; none until {@link #withAudit}. */
    private AdminChanges changes;
    private WebhooksHandler webhooks;
    private JobsHandler jobs;
    private LifecycleHandler lifecycle;
    private final UpstreamStore upstreamStore;
    /** Collects the blobs that cache deletions left unreferenced; none until {@link #withStorage}. */
    private volatile BlobCollector collector;

    public AdminApi(ApiContract contract, io.vertx.sqlclient.Pool pool, Authenticator authenticator, Sessions sessions,
                    RegistryDirectory directory, PluginHost plugins, Limits limits, Optional<CredentialCipher> cipher,
                    UpstreamOpener opener, UrlAddressCheck addresses, Clock clock, boolean gitlabGoProxyRoute) {
        GroupStore groupStore = new GroupStore(pool);
        Access access = new Access(groupStore);
        // Changes drop this node's caches as soon as they commit, so the caller's next request already sees them;
        // other nodes follow on NOTIFY vreg_auth / vreg_config.
        Runnable authChanged = authenticator::invalidateAll;
        Runnable configChanged = directory::invalidateAll;
        this.authenticator = authenticator;
        this.contract = contract;
        RegistryStore registryStore = new RegistryStore(pool);
        this.registryStore = registryStore;
        this.access = access;
        this.plugins = plugins;
        this.configChanged = configChanged;
        this.clock = clock;
        this.cipher = cipher;
        this.addresses = addresses;
        this.groups = new GroupsHandler(groupStore, access, registryStore::deleteAllOf, () -> {
            authChanged.run();
            configChanged.run();
            collectSoon();
        });
        this.users = new UsersHandler(new UserStore(pool), authChanged);
        this.sessions = new SessionsHandler(sessions, clock);
        this.members = new MembersHandler(groupStore, access, authChanged);
        this.tokens = new TokensHandler(new TokenStore(pool), access, clock, authChanged);
        UpstreamStore upstreamStore = new UpstreamStore(pool, registryStore::unlinkEverywhere);
        this.upstreamStore = upstreamStore;
        CacheRepository cacheRepository = new CacheRepository(pool);
        this.registries = new RegistriesHandler(registryStore, access, plugins, limits, configChanged);
        SettingsCheck settings = new SettingsCheck(opener);
        this.upstreamKinds = new UpstreamKindsHandler(opener, settings);
        this.upstreams = new UpstreamsHandler(upstreamStore, access, opener, settings, cipher, addresses,
                () -> {
                    configChanged.run();
                    collectSoon();
                });
        this.links = new LinksHandler(registryStore, access, plugins, limits, configChanged);
        this.cache = new CacheHandler(cacheRepository, upstreamStore, access, configChanged, this::collectNow);
        ConnectionTests tests = new ConnectionTests(opener, addresses);
        this.connectionTests = new ConnectionTestHandler(upstreamStore, access, tests, clock);
        this.unsavedConnectionTests = new UnsavedConnectionTestHandler(access, opener, settings, addresses, tests,
                clock);
        this.registryCaches = new RegistryCacheHandler(cacheRepository, registryStore, access, configChanged,
                this::collectNow);
        this.vanityPrefixes = new VanityPrefixesHandler(new VanityStore(pool), registryStore, access, plugins,
                configChanged);
        this.checksumSettings = new ChecksumSettingsHandler(new ChecksumStore(pool), registryStore, access, plugins,
                configChanged);
        this.gitlabProjects = new GitLabProjectsHandler(new LegacyProjects(pool), registryStore, access,
                gitlabGoProxyRoute);
        this.statistics = new StatisticsHandler(new StatisticsQueries(pool), registryStore, upstreamStore, access,
                clock);
        this.usageExport = new UsageExportHandler(pool, access, clock);
    }

    /** Adds {@code /storage} and lets cache deletions collect the blobs they leave unreferenced. */
    public AdminApi withStorage(StorageHandler handler, BlobCollector blobCollector) {
        this.storage = handler;
        this.collector = blobCollector;
        return this;
    }

    /** Adds the registries' filter rules and the groups' audit events. */
    public AdminApi withPolicies(Policies policies) {
        this.filters = new FiltersHandler(policies.store(), registryStore, access, plugins, configChanged,
                policies.withdrawn());
        this.auditEvents = new AuditEventsHandler(policies.audit(), access, clock);
        return this;
    }

    /** Records an audit event for every change made through the API, and adds the groups' webhooks. */
    public AdminApi withAudit(AuditTrail trail, Webhooks hooks) {
        this.changes = new AdminChanges(trail, clock);
        this.webhooks = new WebhooksHandler(hooks, access, cipher, addresses, clock);
        return this;
    }

    /** Adds {@code /jobs}: the scheduled jobs and their last runs. */
    public AdminApi withJobs(JobRunner runner) {
        this.jobs = new JobsHandler(runner);
        return this;
    }

    /** Adds the lifecycle policies of registries and upstreams, run as jobs of {@code runner}. */
    public AdminApi withLifecycle(Lifecycle policies, JobRunner runner) {
        this.lifecycle = new LifecycleHandler(policies, registryStore, upstreamStore, access, runner, runner.store());
        return this;
    }

    private Future<BlobCollector.Run> collectNow() {
        BlobCollector c = collector;
        return c == null ? Future.succeededFuture(null) : c.collect(BlobCollector.Trigger.DELETION);
    }

    /** A deleted upstream or group takes its cache entries with it; their blobs go in the background. */
    private void collectSoon() {
        collectNow();
    }

    /**
     * Adds {@code /api/v1/*} to {@code router}; called once per HTTP verticle. The API description itself is public
     * at {@code /api/v1/openapi.yaml}, so clients and the console can read what the server accepts.
     */
    public void mount(Vertx vertx, Router router) {
        router.get("/api/v1/openapi.yaml").handler(ctx -> ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/yaml; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .sendFile(ApiContract.LOCATION));
        router.route("/api/v1/*").subRouter(router(vertx));
    }

    /** The routes below {@code /api/v1}, built from the OpenAPI document. */
    public Router router(Vertx vertx) {
        Router api = contract.router(vertx, List.of(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES),
                new ApiAuthHandler(authenticator)), binder -> {
                    groups.mount(binder);
                    users.mount(binder);
                    sessions.mount(binder);
                    members.mount(binder);
                    tokens.mount(binder);
                    registries.mount(binder);
                    upstreams.mount(binder);
                    upstreamKinds.mount(binder);
                    links.mount(binder);
                    cache.mount(binder);
                    connectionTests.mount(binder);
                    unsavedConnectionTests.mount(binder);
                    registryCaches.mount(binder);
                    vanityPrefixes.mount(binder);
                    checksumSettings.mount(binder);
                    if (storage != null) {
                        storage.mount(binder);
                    }
                    gitlabProjects.mount(binder);
                    statistics.mount(binder);
                    usageExport.mount(binder);
                    if (filters != null) {
                        filters.mount(binder);
                        auditEvents.mount(binder);
                    }
                    if (webhooks != null) {
                        webhooks.mount(binder);
                    }
                    if (jobs != null) {
                        jobs.mount(binder);
                    }
                    if (lifecycle != null) {
                        lifecycle.mount(binder);
                    }
                }, changes != null ? changes : (operation, handler, bound) -> handler);
        api.route().last().handler(ctx -> Endpoint.fail(ctx.response(),
                VregException.notFound("no such resource: " + ctx.request().method() + " " + ctx.normalizedPath())));
        // The body reader refuses an oversized body before any operation matched; answered as problem JSON too.
        api.route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
            if (ctx.statusCode() == 413) {
                Endpoint.fail(ctx.response(), new VregException(ErrorKind.TOO_LARGE,
                        "the body is larger than " + MAX_BODY_BYTES + " bytes"));
            } else {
                ctx.next();
            }
        });
        return api;
    }
}
