package dev.vreg.host.pull;

import dev.vreg.host.db.BatchedWriter;
import dev.vreg.host.http.ErrorResponder;
import dev.vreg.host.identity.Authenticator;
import dev.vreg.host.identity.Principal;
import dev.vreg.host.legacy.LegacyProjects;
import dev.vreg.host.registry.Registry;
import dev.vreg.host.registry.RegistryDirectory;
import dev.vreg.spi.VregException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitLab's experimental Go proxy route, {@code /api/v4/projects/:id/packages/go/<module>/@v/...}, for clients that
 * still have it in their GOPROXY: a project mapped to a Go registry is answered exactly as that registry answers, with
 * {@code Deprecation} (RFC 9745), {@code Sunset} (RFC 8594) and a {@code Link} to the migration guide on every answer,
 * and each caller counted so operators see who has not moved yet.
 */
public final class GitLabGoProxyRoute {

    /** {@code :id} is a project id or its URL-encoded full path; the rest is a GOPROXY path. */
    private static final Pattern ROUTE = Pattern.compile("^/api/v4/projects/([^/]+)/packages/go/(.+)$");
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    /** When the route was deprecated, when it ends, and where the guide is. */
    public record Settings(Instant deprecatedAt, Instant sunsetAt, String guideUrl) {
    }

    private final RegistryDirectory registries;
    private final LegacyProjects projects;
    private final Authenticator authenticator;
    private final BatchedWriter<LegacyProjects.CallerKey, Long> callers;
    private final MeterRegistry meters;
    private final String deprecation;
    private final String sunset;
    private final String link;

    public GitLabGoProxyRoute(RegistryDirectory registries, LegacyProjects projects, Authenticator authenticator,
                              BatchedWriter<LegacyProjects.CallerKey, Long> callers, MeterRegistry meters,
                              Settings settings) {
        this.registries = registries;
        this.projects = projects;
        this.authenticator = authenticator;
        this.callers = callers;
        this.meters = meters;
        this.deprecation = "@" + settings.deprecatedAt().getEpochSecond();
        this.sunset = HTTP_DATE.format(settings.sunsetAt());
        this.link = "<" + settings.guideUrl() + ">; rel=\"deprecation\"; type=\"text/markdown\", <"
                + settings.guideUrl() + ">; rel=\"sunset\"; type=\"text/markdown\"";
    }

    /**
     * Mounts the route in front of the same authentication, filter and artifact stages as the registry's own path.
     */
    void mount(Router router, Handler<RoutingContext> record, Handler<RoutingContext> authenticate,
               Handler<RoutingContext> filter, Handler<RoutingContext> checksumDbs,
               Handler<RoutingContext> artifacts) {
        router.routeWithRegex(ROUTE.pattern())
                .handler(record)
                .handler(this::headers)
                .handler(PullRoutes::readOnly)
                .handler(this::resolve)
                .handler(authenticate)
                .handler(this::count)
                .handler(filter)
                .handler(checksumDbs)
                .handler(artifacts);
    }

    private void headers(RoutingContext ctx) {
        ctx.addHeadersEndHandler(v -> ctx.response()
                .putHeader("Deprecation", deprecation)
                .putHeader("Sunset", sunset)
                .putHeader("Link", link));
        ctx.next();
    }

    private void resolve(RoutingContext ctx) {
        Matcher m = ROUTE.matcher(ctx.request().path());
        Optional<String> project = m.matches() ? decode(m.group(1)).flatMap(LegacyProjects::normalize)
                : Optional.empty();
        if (project.isEmpty()) {
            ErrorResponder.send(ctx.response(), VregException.notFound(
                    "not a GitLab project id or full path; this route is deprecated, see the Link header"));
            return;
        }
        String rest = m.group(2);
        projects.find(project.get())
                .compose(target -> target.isEmpty() ? Future.succeededFuture(Optional.<Registry>empty())
                        : registries.find(target.get().group(), target.get().registry()))
                .onComplete(found -> {
                    if (found.failed()) {
                        ErrorResponder.send(ctx.response(), found.cause());
                    } else if (found.result().filter(r -> "go".equals(r.format())).isEmpty()) {
                        ErrorResponder.send(ctx.response(), VregException.notFound("GitLab project "
                                + project.get() + " is not served by vreg; ask its administrators for the GOPROXY "
                                + "of the registry that replaces this deprecated route (see the Link header)"));
                    } else {
                        Registry registry = found.result().get();
                        PullContext.path(ctx, new RegistryPath("go", registry.group(), registry.name(), rest));
                        PullContext.registry(ctx, registry);
                        ctx.next();
                    }
                });
    }

    /** Counts the caller: its user or deploy token when it sent one that is valid, else its address. */
    private void count(RoutingContext ctx) {
        Registry registry = PullContext.registry(ctx);
        Counter.builder("vreg.legacy.gitlab.route.requests")
                .description("Requests to GitLab's deprecated Go proxy route, by the registry answering them")
                .tag("registry", registry.group() + "/" + registry.name())
                .register(meters).increment();
        Optional<Principal> known = PullContext.principal(ctx);
        String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        Future<Optional<Principal>> principal = known.isPresent() || header == null
                ? Future.succeededFuture(known)
                : authenticator.authenticate(header).otherwise(Optional.empty());
        principal.onComplete(p -> {
            String caller = p.succeeded() && p.result().isPresent() ? describe(p.result().get())
                    : "anonymous from " + (ctx.request().remoteAddress() == null ? "-"
                    : ctx.request().remoteAddress().hostAddress());
            callers.record(new LegacyProjects.CallerKey(registry.id(), caller), 1L);
            ctx.next();
        });
    }

    static String describe(Principal principal) {
        if (principal.deploy()) {
            return "deploy token " + principal.tokenId() + " of group " + principal.deployGroup();
        }
        return "user " + principal.username();
    }

    /** The id segment as GitLab reads it: a number, or a full path with its slashes encoded as {@code %2F}. */
    static Optional<String> decode(String segment) {
        String decoded = segment.replace("%2F", "/").replace("%2f", "/");
        return decoded.indexOf('%') >= 0 ? Optional.empty() : Optional.of(decoded);
    }
}
