package dev.vreg.host.pull;

import dev.vreg.host.proxy.ContentResolver;
import dev.vreg.spi.ArtifactRef;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import dev.vreg.host.identity.Principal;
import dev.vreg.host.registry.Registry;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/** What the pull stages learn about a request, kept on its {@link RoutingContext} for the stages after them. */
public final class PullContext {

    private static final String PATH = "vreg.pull.path";
    private static final String REGISTRY = "vreg.pull.registry";
    private static final String PRINCIPAL = "vreg.pull.principal";
    private static final String REF = "vreg.pull.ref";
    private static final String CLASSIFIED = "vreg.pull.classified";
    private static final String OUTCOME = "vreg.pull.outcome";
    private static final String ANSWERED = "vreg.pull.answered";
    private static final String METADATA_FILTER = "vreg.pull.metadataFilter";
    private static final String BLOCKED = "vreg.pull.blocked";
    private static final String RULED = "vreg.pull.ruled";
    private static final String GENERATION = "vreg.pull.generation";

    private PullContext() {
    }

    static void path(RoutingContext ctx, RegistryPath path) {
        ctx.put(PATH, path);
    }

    public static RegistryPath path(RoutingContext ctx) {
        return required(ctx, PATH);
    }

    static void registry(RoutingContext ctx, Registry registry) {
        ctx.put(REGISTRY, registry);
    }

    public static Registry registry(RoutingContext ctx) {
        return required(ctx, REGISTRY);
    }

    static void principal(RoutingContext ctx, Principal principal) {
        ctx.put(PRINCIPAL, principal);
    }

    /** Who pulls, when the registry asked; empty for a public registry. */
    public static Optional<Principal> principal(RoutingContext ctx) {
        return Optional.ofNullable(ctx.get(PRINCIPAL));
    }

    /** The registry, or {@code null} when the request did not get as far as finding one. */
    static Registry registryIfFound(RoutingContext ctx) {
        return ctx.get(REGISTRY);
    }

    static void ref(RoutingContext ctx, ArtifactRef ref) {
        ctx.put(REF, ref);
    }

    /** What the format said the path names, or {@code null} before (or instead of) that. */
    static ArtifactRef ref(RoutingContext ctx) {
        return ctx.get(REF);
    }

    /** Keeps what the format said the path names, so the stages after the one that asked do not ask again. */
    static void classified(RoutingContext ctx, ArtifactRef ref) {
        ctx.put(CLASSIFIED, ref);
    }

    /**
     * What an earlier stage learnt the path names, or {@code null} when none asked (or the format refused the path,
     * which the last stage then reports).
     */
    static ArtifactRef classified(RoutingContext ctx) {
        return ctx.get(CLASSIFIED);
    }

    static void metadataFilter(RoutingContext ctx, FilterPull.MetadataFilter filter) {
        ctx.put(METADATA_FILTER, filter);
    }

    /** A merged METADATA body with the registry's filter rules applied, if it has any. */
    static io.vertx.core.buffer.Buffer filtered(RoutingContext ctx, ArtifactRef ref,
                                               io.vertx.core.buffer.Buffer body) {
        FilterPull.MetadataFilter filter = ctx.get(METADATA_FILTER);
        return filter == null ? body : filter.apply(ref, body);
    }

    /** Marks the request as one the registry's filter rules refused. */
    static void blocked(RoutingContext ctx) {
        ctx.put(BLOCKED, Boolean.TRUE);
    }

    /** Whether the registry's filter rules refused the request. */
    static boolean isBlocked(RoutingContext ctx) {
        return Boolean.TRUE.equals(ctx.get(BLOCKED));
    }

    /** Marks the request as one the registry's filter rules were applied to (whatever they decided). */
    static void ruled(RoutingContext ctx) {
        ctx.put(RULED, Boolean.TRUE);
    }

    /** Whether filter rules were applied to the request. */
    static boolean isRuled(RoutingContext ctx) {
        return Boolean.TRUE.equals(ctx.get(RULED));
    }

    static void generation(RoutingContext ctx, long generation) {
        ctx.put(GENERATION, generation);
    }

    /** Where the {@link ReadyAnswers} stood when the request's stages started, or -1 for a route without it. */
    static long generation(RoutingContext ctx) {
        Long generation = ctx.get(GENERATION);
        return generation == null ? -1 : generation;
    }

    static void outcome(RoutingContext ctx, ContentResolver.Outcome outcome) {
        ctx.put(OUTCOME, outcome);
    }

    /** How a CONTENT request was answered, or {@code null} (metadata, failures). */
    static ContentResolver.Outcome outcome(RoutingContext ctx) {
        return ctx.get(OUTCOME);
    }

    /**
     * Marks the start of the last stage; its promise is completed once the stage is done with the request, which
     * may be after the response ended (a body streamed while it was fetched).
     */
    static Promise<Void> answering(RoutingContext ctx) {
        Promise<Void> answered = Promise.promise();
        ctx.put(ANSWERED, answered);
        return answered;
    }

    /** Completes once the last stage is done, at once when it never started. */
    static Future<Void> answered(RoutingContext ctx) {
        Promise<Void> answered = ctx.get(ANSWERED);
        return answered == null ? Future.succeededFuture() : answered.future();
    }

    private static <T> T required(RoutingContext ctx, String key) {
        T value = ctx.get(key);
        if (value == null) {
            throw new IllegalStateException(key + " is read before the stage that sets it ran");
        }
        return value;
    }
}
