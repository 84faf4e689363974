package dev.vreg.host.audit.api;

import dev.vreg.host.api.Access;
import dev.vreg.host.api.ApiAuthHandler;
import dev.vreg.host.api.ApiContract;
import dev.vreg.host.api.Endpoint;
import dev.vreg.host.api.Fields;
import dev.vreg.host.api.Reply;
import dev.vreg.host.audit.WebhookStore;
import dev.vreg.host.audit.Webhooks;
import dev.vreg.host.http.InvalidFields;
import dev.vreg.host.identity.Role;
import dev.vreg.host.policy.AuditEvent;
import dev.vreg.host.secrets.CredentialCipher;
import dev.vreg.host.upstream.address.UrlAddressCheck;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@code /groups/{group}/webhooks}: a group's webhooks (maintainers), each sent the event kinds it chose, signed
 * with its secret; {@code .../test} sends a test event at once, {@code .../deliveries} is the delivery log.
 */
public final class WebhooksHandler {

    private static final String[] FIELDS = {"url", "events", "secret", "description", "enabled"};
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int DEFAULT_DELIVERIES = 50;

    private final Webhooks webhooks;
    private final Access access;
    private final Optional<CredentialCipher> cipher;
    private final UrlAddressCheck addresses;
    private final Clock clock;

    public WebhooksHandler(Webhooks webhooks, Access access, Optional<CredentialCipher> cipher,
                           UrlAddressCheck addresses, Clock clock) {
        this.webhooks = webhooks;
        this.access = access;
        this.cipher = cipher;
        this.addresses = addresses;
        this.clock = clock;
    }

    public void mount(ApiContract.Binder binder) {
        binder.bind("createWebhook", Endpoint.of(this::create));
        binder.bind("listWebhooks", Endpoint.of(this::list));
        binder.bind("getWebhook", Endpoint.of(this::get));
        binder.bind("updateWebhook", Endpoint.of(this::update));
        binder.bind("deleteWebhook", Endpoint.of(this::delete));
        binder.bind("testWebhook", Endpoint.of(this::test));
        binder.bind("listWebhookDeliveries", Endpoint.of(this::deliveries));
    }

    private record Input(String url, List<String> events, String secret, String description, Boolean enabled) {
    }

    private Input input(RoutingContext ctx, boolean create) {
        Fields fields = Fields.of(ctx, FIELDS);
        String url = fields.string("url", create, 2048);
        if (url != null) {
            String problem = urlProblem(url);
            if (problem != null) {
                fields.error("url", problem);
            }
        }
        List<String> events = fields.strings("events");
        if (create && events == null && !fields.has("events")) {
            fields.error("events", "is required");
        }
        if (events != null) {
            if (events.isEmpty()) {
                fields.error("events", "must name at least one event kind");
            }
            events.stream().filter(e -> !Webhooks.KINDS.contains(e)).findFirst().ifPresent(e -> fields.error(
                    "events", e + " is not an event kind; the kinds are " + new TreeSet<>(Webhooks.KINDS)));
            events = List.copyOf(new LinkedHashSet<>(events));
        }
        String secret = fields.string("secret", false, 200);
        if (secret != null && secret.length() < 16) {
            fields.error("secret", "must be at least 16 characters");
        }
        if ((secret != null || create) && cipher.isEmpty()) {
            fields.error("secret", "cannot be stored: this vreg has no security.encryptionKey configured");
        }
        Input input = new Input(url, events, secret, fields.string("description", false, 500),
                fields.bool("enabled"));
        fields.check();
        return input;
    }

    /** An absolute http(s) URL without user information or fragment; a query is allowed. */
    private static String urlProblem(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null) {
                return "must be an absolute http:// or https:// URL";
            }
            if (uri.getRawUserInfo() != null) {
                return "must not contain user information";
            }
            if (uri.getRawFragment() != null) {
                return "must not have a fragment";
            }
            return null;
        } catch (URISyntaxException e) {
            return "is not a valid URL";
        }
    }

    /** The same address rule as for upstream URLs: private, link-local and metadata addresses only if allowed. */
    private Future<Void> allowed(String url) {
        if (url == null) {
            return Future.succeededFuture();
        }
        return addresses.check(url, false).compose(verdict -> verdict.refusal() == null ? Future.succeededFuture()
                : Future.failedFuture(InvalidFields.body("url", verdict.refusal())));
    }

    private Future<Reply> create(RoutingContext ctx) {
        Input in = input(ctx, true);
        boolean generated = in.secret() == null;
        String secret = generated ? "whsec_" + random() : in.secret();
        return access.group(ctx, Role.MAINTAINER)
                .compose(group -> allowed(in.url()).map(group))
                .compose(group -> webhooks.store().create(group.id(), in.url(), in.events(), seal(secret),
                        in.description(), in.enabled() == null || in.enabled(), clock.instant()))
                .map(webhook -> {
                    JsonObject json = webhook.json();
                    if (generated) {
                        json.put("secret", secret);
                    }
                    return Reply.created(json);
                });
    }

    private Future<Reply> list(RoutingContext ctx) {
        return access.group(ctx, Role.MAINTAINER).compose(group -> webhooks.store().list(group.id()))
                .map(list -> {
                    JsonArray array = new JsonArray();
                    list.forEach(w -> array.add(w.json()));
                    return Reply.ok(new JsonObject().put("webhooks", array));
                });
    }

    private Future<Reply> get(RoutingContext ctx) {
        long id = webhookId(ctx);
        return access.group(ctx, Role.MAINTAINER).compose(group -> webhooks.store().get(group.id(), id))
                .map(w -> Reply.ok(w.json()));
    }

    private Future<Reply> update(RoutingContext ctx) {
        long id = webhookId(ctx);
        Input in = input(ctx, false);
        return access.group(ctx, Role.MAINTAINER)
                .compose(group -> allowed(in.url()).map(group))
                .compose(group -> webhooks.store().update(group.id(), id, new WebhookStore.Change(in.url(),
                        in.events(), in.secret() == null ? null : seal(in.secret()), in.description(),
                        in.enabled()), clock.instant()))
                .map(w -> Reply.ok(w.json()));
    }

    private Future<Reply> delete(RoutingContext ctx) {
        long id = webhookId(ctx);
        return access.group(ctx, Role.MAINTAINER).compose(group -> webhooks.store().delete(group.id(), id))
                .map(v -> Reply.noContent());
    }

    /** Queues a {@code webhook.test} delivery, sends it at once and answers the delivery after that attempt. */
    private Future<Reply> test(RoutingContext ctx) {
        long id = webhookId(ctx);
        Instant now = clock.instant();
        return access.group(ctx, Role.MAINTAINER)
                .compose(group -> webhooks.store().get(group.id(), id).compose(webhook -> {
                    AuditEvent event = new AuditEvent(0, now, Webhooks.TEST, actor(ctx), group.name(), 0, null,
                            null, null, null, "a test event sent on request", null, null, null,
                            null);
                    return webhooks.store().enqueue(webhook.id(), Webhooks.TEST,
                            Webhooks.payload(Webhooks.TEST, group.name(), now, event.json()), now);
                }))
                .compose(delivery -> webhooks.dispatcher().sendNow(delivery)
                        .compose(v -> webhooks.store().delivery(delivery)))
                .map(delivery -> Reply.ok(delivery.json()));
    }

    private Future<Reply> deliveries(RoutingContext ctx) {
        long id = webhookId(ctx);
        int limit = limit(ctx);
        return access.group(ctx, Role.MAINTAINER)
                .compose(group -> webhooks.store().get(group.id(), id))
                .compose(webhook -> webhooks.store().deliveries(webhook.id(), limit))
                .map(list -> {
                    JsonArray array = new JsonArray();
                    list.forEach(d -> array.add(d.json()));
                    return Reply.ok(new JsonObject().put("deliveries", array));
                });
    }

    private static int limit(RoutingContext ctx) {
        String text = ctx.queryParams().get("limit");
        if (text == null || text.isBlank()) {
            return DEFAULT_DELIVERIES;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= 1 && value <= 500) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw InvalidFields.body("limit", "must be a number from 1 to 500");
    }

    private static String actor(RoutingContext ctx) {
        var caller = ApiAuthHandler.principal(ctx);
        return caller.username() != null ? caller.username() : "token " + caller.tokenId();
    }

    private byte[] seal(String secret) {
        return cipher.orElseThrow().seal(secret.getBytes(StandardCharsets.UTF_8));
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static long webhookId(RoutingContext ctx) {
        String text = ctx.pathParam("webhookId");
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw VregException.notFound("webhook " + text + " does not exist");
        }
    }
}
