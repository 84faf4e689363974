package dev.vreg.host.audit;

import dev.vreg.host.secrets.CredentialCipher;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends queued webhook deliveries: each is claimed in the database (so one node sends it), POSTed with its
 * signature, and either done (any 2xx), or tried again after a backoff that doubles from {@link Settings#backoff},
 * until {@link Settings#attempts} attempts have failed. Every attempt leaves the receiver's status and the start of
 * its answer (or why there was none) in the delivery log.
 */
public final class WebhookDispatcher {

    /**
     * @param attempts how many times a delivery is tried at most
     * @param backoff  the wait before the second attempt; each further one waits twice as long
     * @param timeout  how long one attempt may take
     */
    public record Settings(int attempts, Duration backoff, Duration timeout) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    /** How many deliveries one round claims. */
    private static final int ROUND = 20;
    /** How much of an answer the log keeps. */
    private static final int KEPT_RESPONSE = 1_000;
    /** How often due deliveries are looked for besides when one is queued or retried on this node. */
    private static final Duration POLL = Duration.ofSeconds(15);

    private final Vertx vertx;
    /** Where rounds run, one at a time. */
    private final Context context;
    private final WebhookStore store;
    private final Optional<CredentialCipher> cipher;
    private final HttpClient client;
    private final Clock clock;
    private final Settings settings;
    private final String userAgent;
    private boolean running;
    private boolean again;
    private long timer = -1;
    private volatile boolean stopped;

    public WebhookDispatcher(Vertx vertx, WebhookStore store, Optional<CredentialCipher> cipher, HttpClient client,
                             Clock clock, Settings settings, String version) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.store = store;
        this.cipher = cipher;
        this.client = client;
        this.clock = clock;
        this.settings = settings;
        this.userAgent = "vreg/" + version;
    }

    /** Looks for due deliveries periodically, for those queued by nodes that stopped before sending them. */
    public WebhookDispatcher start() {
        timer = vertx.setPeriodic(POLL.toMillis(), id -> sendDue());
        return this;
    }

    public Future<Void> stop() {
        stopped = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        return client.close();
    }

    /** Sends what is due now, in rounds; a call while a round runs makes it look again when done. */
    public void sendDue() {
        context.runOnContext(v -> {
            if (stopped) {
                return;
            }
            if (running) {
                again = true;
                return;
            }
            running = true;
            again = false;
            round().onComplete(done -> {
                if (done.failed()) {
                    LOG.warn("Sending webhook deliveries failed: {}", done.cause().getMessage());
                }
                running = false;
                if (again || done.succeeded() && done.result() == ROUND) {
                    sendDue();
                }
            });
        });
    }

    /** Sends delivery {@code id} at once, due or not (the "send test event" call); completes after the attempt. */
    public Future<Void> sendNow(long id) {
        Instant now = clock.instant();
        return store.claim(now, lease(now), 1, id)
                .compose(claimed -> claimed.isEmpty() ? Future.succeededFuture() : attempt(claimed.get(0)));
    }

    private Future<Integer> round() {
        Instant now = clock.instant();
        return store.claim(now, lease(now), ROUND, null).compose(due -> {
            List<Future<Void>> attempts = due.stream().map(this::attempt).toList();
            return Future.join(attempts).map(due.size()).otherwise(due.size());
        });
    }

    /** Long enough for an attempt and its bookkeeping; a node that dies meanwhile leaves the delivery due again. */
    private Instant lease(Instant now) {
        return now.plus(settings.timeout()).plusSeconds(30);
    }

    private Future<Void> attempt(WebhookStore.Due due) {
        byte[] body = due.payload().encode().getBytes(StandardCharsets.UTF_8);
        String secret;
        try {
            secret = new String(cipher.orElseThrow(() -> new IllegalStateException(
                    "no security.encryptionKey is configured")).open(due.secret()), StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            return finish(due, null, "the webhook's secret cannot be read: " + e.getMessage(), false);
        }
        Instant sentAt = clock.instant();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(due.url())
                .setTimeout(settings.timeout().toMillis())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.USER_AGENT, userAgent)
                .putHeader("X-Vreg-Event", due.event())
                .putHeader("X-Vreg-Delivery", Long.toString(due.id()))
                .putHeader(WebhookSignature.HEADER, WebhookSignature.header(secret, sentAt.getEpochSecond(), body));
        return client.request(options)
                .compose(request -> request.send(Buffer.buffer(body)))
                .compose(response -> response.body().map(answer -> {
                    String text = answer.toString(StandardCharsets.UTF_8);
                    return new Object[] {response.statusCode(),
                            text.length() > KEPT_RESPONSE ? text.substring(0, KEPT_RESPONSE) : text};
                }))
                .compose(result -> {
                    int status = (Integer) result[0];
                    return finish(due, status, (String) result[1], status >= 200 && status < 300);
                }, failure -> finish(due, null, failure.getMessage() == null ? failure.getClass().getSimpleName()
                        : failure.getMessage(), false));
    }

    private Future<Void> finish(WebhookStore.Due due, Integer status, String response, boolean delivered) {
        int attempts = due.attempts() + 1;
        Instant now = clock.instant();
        if (delivered) {
            return store.attempted(due.id(), "delivered", attempts, now, null, status, response);
        }
        if (attempts >= settings.attempts()) {
            return store.attempted(due.id(), "failed", attempts, now, null, status, response);
        }
        Duration wait = settings.backoff().multipliedBy(1L << Math.min(attempts - 1, 20));
        return store.attempted(due.id(), "pending", attempts, now, now.plus(wait), status, response)
                .onSuccess(v -> vertx.setTimer(Math.max(1, wait.toMillis()), id -> sendDue()));
    }
}
