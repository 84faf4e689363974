package dev.vreg.host.pull;

import dev.vreg.host.http.ErrorResponder;
import dev.vreg.host.identity.Principal;
import dev.vreg.host.policy.AuditEvent;
import dev.vreg.host.policy.FilterChain;
import dev.vreg.host.policy.FilterSet;
import dev.vreg.host.policy.Policies;
import dev.vreg.host.registry.Registry;
import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.AssetKind;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.FormatPlugin;
import dev.vreg.spi.VregException;
import dev.vreg.spi.Withdrawals;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Optional;

/**
 * The stage that applies the filter rules of the registry and its group before anything is looked up or fetched: a refused version's
 * files, and every file of a refused name, answer 403 with the rule's reason in text/plain (the go command prints
 * it, and does not fall through to the next GOPROXY entry); metadata of an admitted name is passed on with a filter
 * the last stage applies to the merged body through the format. Every refusal is an audit event.
 */
final class FilterPull implements Handler<RoutingContext> {

    /** Applies the rules to a merged METADATA body. */
    interface MetadataFilter {
        Buffer apply(ArtifactRef ref, Buffer body);
    }

    private final FormatPlugin format;
    private final Policies policies;
    private final Clock clock;

    FilterPull(FormatPlugin format, Policies policies, Clock clock) {
        this.format = format;
        this.policies = policies;
        this.clock = clock;
    }

    @Override
    public void handle(RoutingContext ctx) {
        Registry registry = PullContext.registry(ctx);
        ArtifactRef ref;
        try {
            ref = format.classify(PullContext.path(ctx).rest());
            PullContext.classified(ctx, ref);
        } catch (RuntimeException e) {
            // Not an artifact path (a checksum database path, a malformed one): the later stages answer it.
            ctx.next();
            return;
        }
        policies.filters().of(registry.id()).onComplete(loaded -> {
            if (loaded.failed()) {
                ErrorResponder.send(ctx.response(), loaded.cause());
                return;
            }
            FilterChain filters = loaded.result();
            if (filters.isEmpty()) {
                ctx.next();
                return;
            }
            PullContext.ruled(ctx);
            // Withdrawn versions are read only for a name the rules admit as a whole: nothing of a refused one is fetched.
            boolean needed = filters.needsWithdrawals(format, ref.name())
                    && filters.decide(format, ref.name(), null).allowed();
            Future<Withdrawals> withdrawn = needed ? policies.withdrawn().of(registry, format, ref.name())
                    : Future.succeededFuture(Withdrawals.NONE);
            withdrawn.onComplete(read -> {
                if (read.failed()) {
                    ErrorResponder.send(ctx.response(), read.cause());
                    return;
                }
                decide(ctx, registry, ref, filters, read.result());
            });
        });
    }

    private void decide(RoutingContext ctx, Registry registry, ArtifactRef ref, FilterChain filters,
                        Withdrawals withdrawals) {
        String version = ref.kind() == AssetKind.CONTENT ? ref.version() : null;
        FilterSet.Verdict verdict = filters.decide(format, ref.name(), version, withdrawals);
        if (!verdict.allowed()) {
            // Counted by module and file kind like any other request, though no later stage runs.
            PullContext.ref(ctx, ref);
            block(ctx, registry, ref.name(), version, verdict);
            return;
        }
        if (ref.kind() == AssetKind.METADATA) {
            PullContext.metadataFilter(ctx,
                    (metadata, body) -> filtered(ctx, registry, filters, withdrawals, metadata, body));
        }
        ctx.next();
    }

    private Buffer filtered(RoutingContext ctx, Registry registry, FilterChain filters, Withdrawals withdrawals,
                            ArtifactRef ref, Buffer body) {
        try {
            return format.filterMetadata(ref, body, v -> {
                FilterSet.Verdict verdict = filters.decide(format, ref.name(), v, withdrawals);
                return verdict.allowed() ? Optional.empty() : Optional.of(verdict.why());
            });
        } catch (VregException e) {
            if (e.kind() == ErrorKind.FORBIDDEN) {
                PullContext.blocked(ctx);
                policies.record(new AuditEvent(0, clock.instant(), AuditEvent.REQUEST_BLOCKED, actor(ctx),
                        registry.id(), registry.name(), ref.name(), ref.version(), null, e.getMessage()));
            }
            throw e;
        }
    }

    private void block(RoutingContext ctx, Registry registry, String name, String version,
                       FilterSet.Verdict verdict) {
        policies.record(new AuditEvent(0, clock.instant(), AuditEvent.REQUEST_BLOCKED, actor(ctx), registry.id(),
                registry.name(), name, version, verdict.rule() == 0 ? null : verdict.rule(), verdict.why()));
        PullContext.blocked(ctx);
        ErrorResponder.send(ctx.response(), VregException.forbidden(verdict.why()));
    }

    /** Who asked: the token's user or id when the registry asked for one, and the client's address. */
    static String actor(RoutingContext ctx) {
        Optional<Principal> principal = PullContext.principal(ctx);
        String who = principal.map(p -> p.username() != null ? p.username() : "token " + p.tokenId())
                .orElse("anonymous");
        String address = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
        return address == null ? who : who + " from " + address;
    }
}
