package dev.vreg.host.http;

import dev.vreg.host.db.DatabaseFailure;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import io.vertx.core.json.DecodeException;
import io.vertx.pgclient.PgException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one table that turns a failure into an HTTP answer, for package clients and the admin API alike: the status
 * comes from the {@link ErrorKind} (and, for invalid requests, whether a body's fields were refused); the detail is
 * the exception's message, which is written for the caller. A database that cannot be reached is a 503 with
 * {@code Retry-After}, since that heals once the server is back (the embedded one is restarted, an external one
 * reconnected to). Anything else that is not a {@link VregException} is a bug: it is logged with its cause and
 * answered 500 without one (database and library messages can quote values).
 *
 * @param errors     the refused fields, for {@link InvalidFields}; empty otherwise
 * @param retryAfter when to try again, for an answer that says so ({@code Retry-After}); null otherwise. Only a
 *                   failure that is the upstream's (502) or a rate limit's (429) passes on the delay it was given.
 */
public record Failure(int status, String title, String detail, List<FieldError> errors, Duration retryAfter) {

    private static final Logger LOG = LoggerFactory.getLogger(Failure.class);

    /** Long enough for a restart of the embedded server, short enough that clients come back soon after. */
    static final Duration DATABASE_RETRY_AFTER = Duration.ofSeconds(5);

    /** During an outage every request fails alike; one line every so often says so without flooding the log. */
    private static final long OUTAGE_LOG_INTERVAL_NANOS = 10_000_000_000L;
    private static final AtomicLong lastOutageLog = new AtomicLong(System.nanoTime() - OUTAGE_LOG_INTERVAL_NANOS);

    public static Failure of(Throwable failure) {
        if (failure instanceof InvalidFields invalid) {
            return of(invalid.inBody() ? 422 : 400, invalid.getMessage(), invalid.errors());
        }
        if (failure instanceof VregException e) {
            int status = status(e.kind());
            Duration retryAfter = status == 502 || status == 429 ? e.retryAfter() : null;
            return new Failure(status, title(status), e.getMessage(), List.of(), retryAfter);
        }
        if (failure instanceof DecodeException) {
            return of(400, "the body is not valid JSON", List.of());
        }
        if (failure instanceof PgException pg && "23505".equals(pg.getSqlState())) {
            // A race lost against a concurrent create of the same thing.
            return of(409, "it already exists", List.of());
        }
        if (failure instanceof PgException pg && "23514".equals(pg.getSqlState())) {
            return of(422, "the request has 1 invalid field(s)",
                    List.of(new FieldError("", "a value is outside what is allowed")));
        }
        if (DatabaseFailure.isUnavailable(failure)) {
            logOutage(failure);
            return new Failure(503, title(503), "vreg's database is unavailable; try again shortly", List.of(),
                    DATABASE_RETRY_AFTER);
        }
        LOG.error("Request failed unexpectedly", failure);
        return of(500, "the request could not be completed", List.of());
    }

    public static int status(ErrorKind kind) {
        return switch (kind) {
            case NOT_FOUND -> 404;
            case GONE -> 410;
            case UNAUTHORIZED -> 401;
            case FORBIDDEN -> 403;
            case INVALID -> 400;
            case CONFLICT -> 409;
            case TOO_LARGE -> 413;
            case METHOD_NOT_ALLOWED -> 405;
            case UNSUPPORTED_MEDIA_TYPE -> 415;
            case TOO_MANY_REQUESTS -> 429;
            case UPSTREAM_UNAVAILABLE, UPSTREAM_INVALID -> 502;
            case UPSTREAM_TIMEOUT -> 504;
            case STORAGE_UNAVAILABLE -> 503;
            case INTERNAL -> 500;
        };
    }

    private static Failure of(int status, String detail, List<FieldError> errors) {
        return new Failure(status, title(status), detail, errors, null);
    }

    private static void logOutage(Throwable failure) {
        long now = System.nanoTime();
        long last = lastOutageLog.get();
        if (now - last >= OUTAGE_LOG_INTERVAL_NANOS && lastOutageLog.compareAndSet(last, now)) {
            LOG.warn("Answering 503 while the database is unavailable: {}", failure.toString());
        }
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 413 -> "Payload too large";
            case 415 -> "Unsupported media type";
            case 422 -> "Invalid request";
            case 429 -> "Too many requests";
            case 502 -> "Bad gateway";
            case 503 -> "Service unavailable";
            case 504 -> "Gateway timeout";
            default -> "Internal error";
        };
    }

    /** The {@code Retry-After} value, in whole seconds rounded up, or null when the failure gives no delay. */
    public String retryAfterSeconds() {
        if (retryAfter == null) {
            return null;
        }
        long millis = retryAfter.toMillis();
        return Long.toString(millis / 1000 + (millis % 1000 == 0 ? 0 : 1));
    }
}
