package dev.vreg.host.policy.api;

import dev.vreg.host.api.Access;
import dev.vreg.host.api.ApiAuthHandler;
import dev.vreg.host.api.ApiContract;
import dev.vreg.host.api.Endpoint;
import dev.vreg.host.api.Reply;
import dev.vreg.host.http.InvalidFields;
import dev.vreg.host.identity.Role;
import dev.vreg.host.policy.AuditEvent;
import dev.vreg.host.policy.AuditLog;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

/**
 * {@code GET /groups/{group}/audit-events}: the group's audit events in a time range, filtered by actor, action and
 * registry, newest first, a page at a time (maintainers: the events name who pulled and changed what); the same as
 * NDJSON, streamed page by page; and {@code GET /audit-events}, every event of the instance, for its admin.
 */
public final class AuditEventsHandler {

    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;
    /** Events read per query while exporting. */
    private static final int EXPORT_PAGE = 500;

    private final AuditLog log;
    private final Access access;
    private final Clock clock;

    public AuditEventsHandler(AuditLog log, Access access, Clock clock) {
        this.log = log;
        this.access = access;
        this.clock = clock;
    }

    public void mount(ApiContract.Binder binder) {
        binder.bind("listAuditEvents", Endpoint.of(this::list));
        binder.bind("exportAuditEvents", ctx -> export(ctx, this::groupQuery));
        binder.bind("listInstanceAuditEvents", Endpoint.of(this::listInstance));
        binder.bind("exportInstanceAuditEvents", ctx -> export(ctx, this::instanceQuery));
    }

    private Future<Reply> list(RoutingContext ctx) {
        return groupQuery(ctx).compose(log::page).map(AuditEventsHandler::reply);
    }

    private Future<Reply> listInstance(RoutingContext ctx) {
        return instanceQuery(ctx).compose(log::page).map(AuditEventsHandler::reply);
    }

    private static Reply reply(AuditLog.Page page) {
        JsonArray events = new JsonArray();
        page.events().forEach(e -> events.add(e.json()));
        return Reply.ok(new JsonObject().put("events", events).put("next", page.next()));
    }

    private Future<AuditLog.Query> groupQuery(RoutingContext ctx) {
        query(ctx, null, null);
        return access.group(ctx, Role.MAINTAINER).map(group -> query(ctx, group.id(), null));
    }

    private Future<AuditLog.Query> instanceQuery(RoutingContext ctx) {
        Access.requireAdmin(ApiAuthHandler.principal(ctx));
        return Future.succeededFuture(query(ctx, null, text(ctx, "group")));
    }

    /** Streams every event the query selects, one JSON object a line, newest first, a page in memory at a time. */
    private void export(RoutingContext ctx, Function<RoutingContext, Future<AuditLog.Query>> query) {
        Future<Void> done;
        try {
            done = query.apply(ctx).compose(q -> {
                HttpServerResponse response = ctx.response();
                response.setChunked(true)
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/x-ndjson")
                        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                        .putHeader("Content-Disposition", "attachment; filename=\"vreg-audit-events.ndjson\"");
                AuditLog.Query first = new AuditLog.Query(q.groupId(), q.groupName(), q.from(), q.to(), q.actor(),
                        q.action(), q.registry(), q.cursor(), EXPORT_PAGE);
                return page(response, first).compose(v -> response.end());
            });
        } catch (RuntimeException e) {
            done = Future.failedFuture(e);
        }
        done.onFailure(e -> {
            if (!ctx.response().headWritten()) {
                Endpoint.fail(ctx.response(), e);
            } else {
                ctx.response().reset();
            }
        });
    }

    private Future<Void> page(HttpServerResponse response, AuditLog.Query q) {
        return log.page(q).compose(page -> {
            if (page.events().isEmpty()) {
                return Future.succeededFuture();
            }
            Buffer chunk = Buffer.buffer();
            for (AuditEvent e : page.events()) {
                chunk.appendString(e.json().encode()).appendString("\n");
            }
            Future<Void> written = response.write(chunk);
            return page.next() == null ? written
                    : written.compose(v -> page(response, q.after(Long.parseLong(page.next()))));
        });
    }

    private AuditLog.Query query(RoutingContext ctx, Long groupId, String groupName) {
        Instant to = instant(ctx, "to");
        Instant from = instant(ctx, "from");
        if (to == null) {
            to = clock.instant().plusSeconds(1);
        }
        if (from == null) {
            from = to.minus(Duration.ofDays(30));
        }
        if (!from.isBefore(to)) {
            throw InvalidFields.body("from", "must be before to");
        }
        Long cursor = number(ctx, "cursor", 1, Long.MAX_VALUE);
        Long limitParam = number(ctx, "limit", 1, MAX_LIMIT);
        int limit = limitParam == null ? DEFAULT_LIMIT : limitParam.intValue();
        return new AuditLog.Query(groupId, groupName, from, to, text(ctx, "actor"), text(ctx, "action"),
                text(ctx, "registry"), cursor, limit);
    }

    private static String text(RoutingContext ctx, String name) {
        String text = ctx.queryParams().get(name);
        return text == null || text.isBlank() ? null : text;
    }

    private static Instant instant(RoutingContext ctx, String name) {
        String text = ctx.queryParams().get(name);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw InvalidFields.body(name, "must be an instant such as 2026-01-31T00:00:00Z");
        }
    }

    private static Long number(RoutingContext ctx, String name, long min, long max) {
        String text = ctx.queryParams().get(name);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            long value = Long.parseLong(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw InvalidFields.body(name, name.equals("cursor") ? "must be the next value of a previous page"
                : "must be a number from " + min + " to " + max);
    }
}
