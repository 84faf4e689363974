package dev.vreg.host.audit;

import dev.vreg.host.api.ApiAuthHandler;
import dev.vreg.host.api.ApiContract;
import dev.vreg.host.api.Endpoint;
import dev.vreg.host.api.Reply;
import dev.vreg.host.identity.Principal;
import dev.vreg.host.policy.AuditEvent;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.contract.Operation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records one audit event for every successful admin API call that is not a GET, in one place for all of them: the
 * action is the operation's {@code x-audit} name in the API description (its operationId when it has none), the
 * actor the caller, and the event carries the resource before the change (read through the GET operation of the
 * same path, when there is one) and after it (the answer, else the request body; nothing for a deletion that
 * answers nothing), secrets masked. A call that fails changed nothing and records nothing; an operation that only
 * asks a question with a body ({@code x-audit: false}) records nothing either.
 *
 * <p>An instance admin's token is also recorded when it is used, at most once an hour per token and group on each
 * node ({@code token.used}), so admins' reach into groups is visible without an event per call.
 */
public final class AdminChanges implements ApiContract.Decorator {

    public static final String TOKEN_USED = "token.used";
    static final Duration TOKEN_USE_EVERY = Duration.ofHours(1);
    private static final String PREFIX = "/api/v1";

    private final AuditTrail trail;
    private final Clock clock;
    private final Map<String, Instant> adminUses = new ConcurrentHashMap<>();

    public AdminChanges(AuditTrail trail, Clock clock) {
        this.trail = trail;
        this.clock = clock;
    }

    /** The action an operation's successful calls record. */
    public static String action(Operation operation) {
        Object named = operation.getExtensions().get("x-audit");
        return named instanceof String s ? s : operation.getOperationId();
    }

    @Override
    public Handler<RoutingContext> decorate(Operation operation, Handler<RoutingContext> handler,
                                            ApiContract.Bound bound) {
        if (operation.getHttpMethod() == HttpMethod.GET) {
            return ctx -> {
                adminUse(ctx);
                handler.handle(ctx);
            };
        }
        if (Boolean.FALSE.equals(operation.getExtensions().get("x-audit"))) {
            return ctx -> {
                adminUse(ctx);
                handler.handle(ctx);
            };
        }
        String action = action(operation);
        String path = operation.getOpenAPIPath();
        boolean readsBefore = operation.getHttpMethod() == HttpMethod.PUT
                || operation.getHttpMethod() == HttpMethod.PATCH
                || operation.getHttpMethod() == HttpMethod.DELETE && path.endsWith("}");
        return ctx -> {
            adminUse(ctx);
            Handler<RoutingContext> twin = readsBefore ? bound.handler(HttpMethod.GET, path) : null;
            before(ctx, twin).onComplete(before -> run(ctx, operation, action, handler, before.result()));
        };
    }

    private void run(RoutingContext ctx, Operation operation, String action, Handler<RoutingContext> handler,
                     JsonObject before) {
        if (!(handler instanceof Endpoint endpoint)) {
            ctx.addEndHandler(ended -> {
                if (ctx.response().getStatusCode() < 400) {
                    record(ctx, operation, action, before, requestBody(ctx));
                }
            });
            handler.handle(ctx);
            return;
        }
        Future<Reply> reply;
        try {
            reply = endpoint.operation().call(ctx);
        } catch (RuntimeException e) {
            reply = Future.failedFuture(e);
        }
        reply.onSuccess(r -> {
            // A deletion's answer, when it has one, says what went (a purge's counts).
            JsonObject after = r.body() instanceof JsonObject o ? o
                    : r.body() instanceof JsonArray a ? new JsonObject().put("items", a)
                    : operation.getHttpMethod() == HttpMethod.DELETE ? null : requestBody(ctx);
            record(ctx, operation, action, before, after);
            Endpoint.send(ctx.response(), r);
        }).onFailure(e -> Endpoint.fail(ctx.response(), e));
    }

    /** The resource as its GET operation answers it now, or {@code null} when there is none or it fails. */
    private static Future<JsonObject> before(RoutingContext ctx, Handler<RoutingContext> twin) {
        if (!(twin instanceof Endpoint read)) {
            return Future.succeededFuture(null);
        }
        try {
            return read.operation().call(ctx)
                    .map(r -> r.body() instanceof JsonObject o ? o
                            : r.body() instanceof JsonArray a ? new JsonObject().put("items", a) : null)
                    .otherwise((JsonObject) null);
        } catch (RuntimeException e) {
            return Future.succeededFuture(null);
        }
    }

    private void record(RoutingContext ctx, Operation operation, String action, JsonObject before,
                        JsonObject after) {
        String group = ctx.pathParam("group");
        String registry = ctx.pathParam("registry");
        // A group or registry made by this call is named in the answer.
        if (group == null && operation.getOpenAPIPath().equals("/groups") && after != null) {
            group = after.getString("name");
        }
        if (registry == null && operation.getOpenAPIPath().endsWith("/registries") && after != null) {
            registry = after.getString("name");
        }
        trail.record(new AuditEvent(0, clock.instant(), action, actor(ctx), group, 0, registry, null, null, null,
                null, target(ctx), address(ctx), Masking.mask(before), Masking.mask(after)));
    }

    private void adminUse(RoutingContext ctx) {
        Principal caller = ApiAuthHandler.principal(ctx);
        if (caller == null || !caller.admin()) {
            return;
        }
        String group = ctx.pathParam("group");
        Instant now = clock.instant();
        String key = caller.tokenId() + "/" + (group == null ? "" : group);
        Instant last = adminUses.get(key);
        if (last != null && now.isBefore(last.plus(TOKEN_USE_EVERY))) {
            return;
        }
        adminUses.put(key, now);
        if (adminUses.size() > 10_000) {
            adminUses.entrySet().removeIf(e -> now.isAfter(e.getValue().plus(TOKEN_USE_EVERY)));
        }
        trail.record(new AuditEvent(0, now, TOKEN_USED, actor(ctx), group, 0, ctx.pathParam("registry"), null, null,
                null, "token " + caller.tokenId() + ": " + ctx.request().method() + " " + target(ctx), target(ctx),
                address(ctx), null, null));
    }

    private static JsonObject requestBody(RoutingContext ctx) {
        try {
            return ctx.body() == null || ctx.body().length() == 0 ? null : ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String actor(RoutingContext ctx) {
        Principal caller = ApiAuthHandler.principal(ctx);
        if (caller == null) {
            return "anonymous";
        }
        return caller.username() != null ? caller.username() : "token " + caller.tokenId();
    }

    private static String address(RoutingContext ctx) {
        return ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
    }

    private static String target(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        return path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : path;
    }
}
