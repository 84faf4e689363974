package dev.vreg.host.api;


import dev.vreg.host.http.Failure;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Adapts one admin API operation to a route handler: the reply as JSON, a failure as problem JSON with the status
 * {@link Failure} gives it.
 */
public final class Endpoint implements Handler<RoutingContext> {

    /** One operation. */
    @FunctionalInterface
    public interface Operation {
        Future<Reply> call(RoutingContext ctx);
    }


    private final Operation operation;

    private Endpoint(Operation operation) {
        this.operation = operation;
    }

    public static Endpoint of(Operation operation) {
        return new Endpoint(operation);
    }

    /**
     * An endpoint that changes configuration: {@code changed} runs once it succeeded, so the change is visible to
     * this node's very next request without waiting for the notification.
     */
    public static Endpoint changing(Operation operation, Runnable changed) {
        return new Endpoint(ctx -> operation.call(ctx).onSuccess(r -> changed.run()));
    }

    /** What the endpoint calls, for a wrapper that needs its reply before it is sent. */
    public Operation operation() {
        return operation;
    }

    @Override
    public void handle(RoutingContext ctx) {
        Future<Reply> reply;
        try {
            reply = operation.call(ctx);
        } catch (RuntimeException e) {
            reply = Future.failedFuture(e);
        }
        reply.onSuccess(r -> send(ctx.response(), r)).onFailure(e -> fail(ctx.response(), e));
    }

    public static void send(HttpServerResponse response, Reply reply) {
        if (response.ended()) {
            return;
        }
        response.setStatusCode(reply.status()).putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        if (reply.body() == null) {
            response.end();
            return;
        }
        String json = reply.body() instanceof JsonObject o ? o.encode()
                : reply.body() instanceof JsonArray a ? a.encode() : String.valueOf(reply.body());
        response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(json);
    }

    /** Answers a failure as problem JSON, with the status the one failure table gives it. */
    public static void fail(HttpServerResponse response, Throwable failure) {
        if (response.ended() || response.closed()) {
            return;
        }
        Failure problem = Failure.of(failure);
        if (problem.status() == 401) {
            response.putHeader("WWW-Authenticate", "Bearer realm=\"vreg\"");
        }
        if (problem.retryAfter() != null) {
            response.putHeader(HttpHeaders.RETRY_AFTER, problem.retryAfterSeconds());
        }
        JsonObject body = new JsonObject()
                .put("type", "about:blank")
                .put("title", problem.title())
                .put("status", problem.status())
                .put("detail", problem.detail());
        if (!problem.errors().isEmpty()) {
            JsonArray list = new JsonArray();
            problem.errors().forEach(e -> list.add(new JsonObject().put("field", e.field()).put("message", e.message())));
            body.put("errors", list);
        }
        response.setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(body.encode());
    }
}
