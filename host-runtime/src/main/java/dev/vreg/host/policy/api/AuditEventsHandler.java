package dev.vreg.host.policy.api;

import dev.vreg.host.api.Access;
import dev.vreg.host.api.ApiContract;
import dev.vreg.host.api.Endpoint;
import dev.vreg.host.api.Reply;
import dev.vreg.host.http.InvalidFields;
import dev.vreg.host.identity.Role;
import dev.vreg.host.policy.AuditLog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * {@code GET /groups/{group}/audit-events}: the group's audit events in a time range, newest first, a page at a
 * time (maintainers: the events name who pulled what).
 */
public final class AuditEventsHandler {

    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

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
    }

    private Future<Reply> list(RoutingContext ctx) {
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
        Instant start = from;
        Instant end = to;
        return access.group(ctx, Role.MAINTAINER)
                .compose(group -> log.page(group.id(), start, end, cursor, limit))
                .map(page -> {
                    JsonArray events = new JsonArray();
                    page.events().forEach(e -> events.add(e.json()));
                    return Reply.ok(new JsonObject().put("events", events).put("next", page.next()));
                });
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
