package dev.vreg.host.pull;

import dev.vreg.host.http.ErrorResponder;

import dev.vreg.host.proxy.ArtifactService;
import dev.vreg.host.proxy.Caller;
import dev.vreg.host.proxy.ContentResolver;
import dev.vreg.host.registry.Registry;
import dev.vreg.spi.storage.MissingBlobException;
import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.AssetKind;
import dev.vreg.spi.FormatPlugin;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last pull stage: lets the format say what the path names and answers from the cache or the upstreams.
 */
final class ArtifactHandler implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(ArtifactHandler.class);

    private final FormatPlugin format;
    private final ArtifactService artifacts;
    private final BlobResponder blobs;
    private final ReadyAnswers ready;
    private final String prefix;

    ArtifactHandler(FormatPlugin format, ArtifactService artifacts, BlobResponder blobs, ReadyAnswers ready) {
        this.format = format;
        this.artifacts = artifacts;
        this.blobs = blobs;
        this.ready = ready;
        this.prefix = "/" + format.id() + "/";
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        Registry registry = PullContext.registry(ctx);
        String rest = PullContext.path(ctx).rest();
        Caller caller = new Caller(request.remoteAddress() == null ? "-" : request.remoteAddress().hostAddress(),
                PullContext.principal(ctx).isEmpty());
        Promise<Void> answered = PullContext.answering(ctx);
        Future.succeededFuture()
                .compose(classifying -> {
                    ArtifactRef known = PullContext.classified(ctx);
                    ArtifactRef ref = known != null ? known : format.classify(rest);
                    PullContext.ref(ctx, ref);
                    return serve(ctx, registry, ref, caller);
                })
                .onFailure(e -> ErrorResponder.send(request.response(), e))
                .onComplete(done -> answered.tryComplete());
    }

    private Future<Void> serve(RoutingContext ctx, Registry registry, ArtifactRef ref, Caller caller) {
        HttpServerRequest request = ctx.request();
        if (ref.kind() == AssetKind.METADATA) {
            return artifacts.metadata().resolve(registry, format, ref, caller).compose(merged -> {
                HttpServerResponse response = request.response();
                merged.warnings().forEach(w -> response.headers().add("Warning", "199 vreg \"" + quote(w) + "\""));
                return sendSmall(request, format.contentType(ref), PullContext.filtered(ctx, ref, merged.body()));
            });
        }
        boolean head = request.method() == HttpMethod.HEAD;
        HttpServerResponse client = head ? null : request.response();
        return artifacts.content().resolve(registry, format, ref, client, caller)
                .compose(outcome -> deliver(ctx, outcome))
                .recover(e -> {
                    if (!(e instanceof MissingBlobException missing) || request.response().headWritten()) {
                        return Future.failedFuture(e);
                    }
                    LOG.warn("{}: the cached copy's blob {} is missing from the store or damaged; fetching it again",
                            ref.path(), missing.digest());
                    request.response().headers().clear();
                    request.response().setStatusCode(200);
                    return artifacts.content().resolve(registry, format, ref, client, caller,
                            Set.of(missing.digest()))
                            .compose(outcome -> deliver(ctx, outcome));
                });
    }

    /**
     * Sends the entry unless it was streamed while fetched; {@link RecordPull} counts the pull once it ended. A plain
     * request answered from memory makes a ready answer.
     */
    private Future<Void> deliver(RoutingContext ctx, ContentResolver.Outcome outcome) {
        PullContext.outcome(ctx, outcome);
        if (outcome.streamed()) {
            return Future.succeededFuture();
        }
        return blobs.send(ctx.request(), outcome.entry()).onSuccess(sent -> {
            if (ready != ReadyAnswers.NONE && ctx.response().getStatusCode() == 200 && plain(ctx)) {
                Registry registry = PullContext.registry(ctx);
                ArtifactRef ref = PullContext.ref(ctx);
                ready.remember(PullContext.generation(ctx), ctx.request().uri(), registry, ref, outcome,
                        Instant.now(), ContentResolver.freshUntil(registry, format, ref, outcome.entry()));
            }
        });
    }

    /**
     * A request whose answer depends on nothing but its target: the package route itself (not the GitLab route,
     * which counts its callers), no query, range or condition, a public registry, and no filter rules.
     */
    private boolean plain(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String uri = request.uri();
        return PullContext.generation(ctx) >= 0 && uri.startsWith(prefix) && uri.indexOf('?') < 0
                && PullContext.registry(ctx).isPublic() && !PullContext.isRuled(ctx)
                && ReadyAnswers.unconditional(request.headers());
    }

    private static Future<Void> sendSmall(HttpServerRequest request, String contentType, Buffer body) {
        HttpServerResponse response = request.response();
        String etag = "\"" + sha256(body) + "\"";
        response.putHeader(HttpHeaders.CONTENT_TYPE, contentType)
                .putHeader(HttpHeaders.ETAG, etag)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
        if (etag.equals(request.getHeader(HttpHeaders.IF_NONE_MATCH))) {
            return response.setStatusCode(304).end();
        }
        response.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()));
        return request.method() == HttpMethod.HEAD ? response.end() : response.end(body);
    }

    private static String sha256(Buffer body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String quote(String text) {
        return text.replaceAll("[\"\\\\\\r\\n]", "'");
    }
}
