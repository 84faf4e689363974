package dev.vreg.host.api;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adapts one admin API operation to a route handler and is the one place where its outcome becomes HTTP: the
 * reply as JSON, an {@link ApiException} as problem JSON, anything else as a 500 whose cause is logged but never
 * sent (database messages can quote values).
 */
public final class Endpoint implements Handler<RoutingContext> {

    /** One operation. */
    @FunctionalInterface
    public interface Operation {
        Future<Reply> call(RoutingContext ctx);
    }

    private static final Logger LOG = LoggerFactory.getLogger(Endpoint.class);

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

    /** Answers a failure as problem JSON. */
    public static void fail(HttpServerResponse response, Throwable failure) {
        if (response.ended() || response.closed()) {
            return;
        }
        ApiException problem = problem(failure);
        if (problem.status() == 401) {
            response.putHeader("WWW-Authenticate", "Bearer realm=\"vreg\"");
        }
        response.setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(problem.toJson().encode());
    }

    private static ApiException problem(Throwable failure) {
        if (failure instanceof ApiException e) {
            return e;
        }
        if (failure instanceof DecodeException) {
            return ApiException.badRequest("the body is not valid JSON");
        }
        if (failure instanceof PgException pg && "23505".equals(pg.getSqlState())) {
            // A race lost against a concurrent create of the same name.
            return ApiException.conflict("it already exists");
        }
        if (failure instanceof PgException pg && "23514".equals(pg.getSqlState())) {
            return ApiException.invalid(List.of(new ApiException.FieldError("", "a value is outside what is allowed")));
        }
        LOG.error("Admin API call failed", failure);
        return new ApiException(500, "Internal error", "the request could not be completed", List.of());
    }
}
