package dev.vreg.host.pull;

import dev.vreg.host.cache.EntryPulls;
import dev.vreg.host.db.BatchedWriter;
import dev.vreg.host.http.ErrorResponder;
import dev.vreg.host.identity.Authenticator;
import dev.vreg.host.policy.Policies;
import dev.vreg.host.proxy.ArtifactService;
import dev.vreg.host.registry.RegistryDirectory;
import dev.vreg.host.stats.Statistics;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.FormatPlugin;
import dev.vreg.spi.VregException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;

/**
 * The package endpoints of one format, {@code /{format}/{group}/{registry}/{path}}, as a chain of stages, each one
 * handler that either answers or passes the request on with what it learnt in {@link PullContext}:
 * <ol>
 *   <li>{@link RecordPull}: once the response ended, the request is counted;</li>
 *   <li>only GET and HEAD are read;</li>
 *   <li>{@link ResolveRegistry}: the path is split once and its registry found;</li>
 *   <li>{@link AuthenticatePull}: a private registry admits readers of its group only;</li>
 *   <li>{@link FilterPull}: the registry's filter rules refuse denied names and versions;</li>
 *   <li>the checksum database pass-through answers the format's {@code sumdb/} paths;</li>
 *   <li>{@link ArtifactHandler}: the format classifies the path, the resolvers answer it.</li>
 * </ol>
 * An answer the last stage sent from memory is kept in {@link ReadyAnswers}, which sends it again before these stages
 * for as long as what they decided stays right.
 * A new concern (a policy, an audit record) is one more stage in this list.
 */
public final class PullRoutes {

    private PullRoutes() {
    }

    /**
     * Mounts the stages; for the Go format also GitLab's deprecated Go proxy route when {@code gitlabRoute} is given,
     * in front of the same stages; with {@code policies}, the registries' filter rules apply; the answers the last
     * stage sends from memory become {@code ready} answers.
     */
    public static Route mount(Router router, FormatPlugin format, RegistryDirectory registries,
                              Authenticator authenticator, ArtifactService artifacts, BlobResponder blobs,
                              BatchedWriter<Long, EntryPulls> downloads, Statistics statistics,
                              Handler<RoutingContext> checksumDbs, GitLabGoProxyRoute gitlabRoute,
                              Policies policies, ReadyAnswers ready) {
        RecordPull record = new RecordPull(downloads, statistics);
        AuthenticatePull authenticate = new AuthenticatePull(authenticator);
        ArtifactHandler handler = new ArtifactHandler(format, artifacts, blobs, ready);
        Handler<RoutingContext> filter = policies == null ? RoutingContext::next
                : new FilterPull(format, policies, Clock.systemUTC());
        if (gitlabRoute != null && "go".equals(format.id())) {
            gitlabRoute.mount(router, record, authenticate, filter, checksumDbs, handler);
        }
        return router.route("/" + format.id() + "/*")
                .handler(record)
                .handler(ctx -> {
                    // Before any memory is read: an answer worked out across a change is not kept as ready.
                    PullContext.generation(ctx, ready.generation());
                    ctx.next();
                })
                .handler(PullRoutes::readOnly)
                .handler(new ResolveRegistry(format.id(), registries))
                .handler(authenticate)
                .handler(filter)
                .handler(checksumDbs)
                .handler(handler);
    }

    static void readOnly(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
            ctx.next();
            return;
        }
        ErrorResponder.send(ctx.response(), new VregException(ErrorKind.METHOD_NOT_ALLOWED,
                "method " + method + " is not allowed here; use GET or HEAD"));
    }
}
