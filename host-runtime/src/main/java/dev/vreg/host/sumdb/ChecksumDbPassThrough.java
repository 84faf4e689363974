package dev.vreg.host.sumdb;

import dev.vreg.host.http.ErrorResponder;
import dev.vreg.host.pull.PullContext;
import dev.vreg.host.registry.Registry;
import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.AssetKind;
import dev.vreg.spi.ChecksumDbRequest;
import dev.vreg.spi.FormatPlugin;
import dev.vreg.spi.VregException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * The pull stage for checksum database paths ({@code sumdb/<name>/...} under a Go registry), before the artifact
 * stage: {@code supported} is answered here (200 for the databases the registry proxies, 404 otherwise, so the go
 * command sends every checksum request to vreg and never goes around it); lookups, tiles and {@code latest} are
 * passed through byte for byte by {@link ChecksumDbReader}. A lookup of a module matching the registry's private
 * patterns is refused with a 403 and never forwarded: it would tell the database the name of a private module.
 * Refusals are counted in {@code vreg.sumdb.lookups.refused} by registry.
 */
public final class ChecksumDbPassThrough implements Handler<RoutingContext> {

    private final FormatPlugin format;
    private final ChecksumSettingsDirectory settings;
    private final ChecksumDbReader reader;
    private final MeterRegistry meters;

    public ChecksumDbPassThrough(FormatPlugin format, ChecksumSettingsDirectory settings, ChecksumDbReader reader,
                                 MeterRegistry meters) {
        this.format = format;
        this.settings = settings;
        this.reader = reader;
        this.meters = meters;
    }

    @Override
    public void handle(RoutingContext ctx) {
        Optional<ChecksumDbRequest> request;
        try {
            request = format.checksumDbRequest(PullContext.path(ctx).rest());
        } catch (VregException e) {
            ErrorResponder.send(ctx.response(), e);
            return;
        }
        if (request.isEmpty()) {
            ctx.next();
            return;
        }
        Registry registry = PullContext.registry(ctx);
        settings.of(registry.id()).compose(s -> serve(ctx.request(), registry, s, request.get()))
                .onFailure(e -> ErrorResponder.send(ctx.response(), e));
    }

    private Future<Void> serve(HttpServerRequest http, Registry registry, ChecksumSettings s, ChecksumDbRequest request) {
        ChecksumDb db = s.database(request.database());
        if (db == null) {
            return Future.failedFuture(VregException.notFound("registry " + registry.displayName()
                    + " does not proxy checksum database " + request.database()));
        }
        switch (request.kind()) {
            case SUPPORTED:
                return send(http, Buffer.buffer(), "text/plain; charset=utf-8", null, false);
            case LOOKUP:
                if (!s.privatePatterns().isEmpty() && format.matchesHints(s.privatePatterns(),
                        new ArtifactRef(request.path(), AssetKind.METADATA, request.name(), null, "lookup"))) {
                    Counter.builder("vreg.sumdb.lookups.refused")
                            .description("Checksum database lookups refused because the module path is private")
                            .tag("registry", registry.displayName()).register(meters).increment();
                    return Future.failedFuture(VregException.forbidden(request.name() + " matches the private "
                            + "module patterns of registry " + registry.displayName() + " (" + String.join(",",
                            s.privatePatterns()) + "): its checksum database lookup is not forwarded; set GONOSUMDB "
                            + "or GOPRIVATE to cover it"));
                }
                break;
            default:
                break;
        }
        return reader.read(registry, s, db, request.path())
                .compose(answer -> send(http, answer.body(), answer.contentType(), answer.warning(),
                        request.immutable()));
    }

    private static Future<Void> send(HttpServerRequest http, Buffer body, String contentType, String warning,
                                     boolean immutable) {
        HttpServerResponse response = http.response();
        response.setStatusCode(200)
                .putHeader(HttpHeaders.CONTENT_TYPE, contentType)
                .putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()))
                .putHeader(HttpHeaders.CACHE_CONTROL, immutable ? "public, max-age=31536000, immutable" : "no-cache");
        if (warning != null) {
            response.putHeader("Warning", "199 vreg \"" + warning.replaceAll("[\"\\\\\\r\\n]", "'") + "\"");
        }
        return http.method() == HttpMethod.HEAD ? response.end() : response.end(body);
    }
}
