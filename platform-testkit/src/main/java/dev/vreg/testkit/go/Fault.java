package dev.vreg.testkit.go;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A misbehaviour {@link StaticGoProxy} shows on one path, for a number of requests or for all of them.
 *
 * <pre>{@code
 * proxy.inject(mod.zipPath(), Fault.dropConnectionAfter(4096).once());   // one truncated download
 * proxy.inject(mod.infoPath(), Fault.status(503));                          // every request fails
 * proxy.inject(mod.listPath(), Fault.delay(Duration.ofSeconds(5)));         // slow, but correct
 * proxy.inject(mod.zipPath(), Fault.trickle(Duration.ofMillis(100)));       // one byte every 100 ms
 * proxy.inject(mod.listPath(), Fault.endlessBody(1024, Duration.ofMillis(10))); // a body that never ends
 * proxy.inject(mod.zipPath(), Fault.status(503).header("Retry-After", "120")); // with a hint
 * }</pre>
 * Faults are immutable; the modifiers return a new fault.
 */
public final class Fault {

    /** What the server does instead of, or before, serving the file. */
    enum Action { SERVE, STATUS, DROP_AFTER_BYTES, DROP_BEFORE_RESPONSE, TRICKLE, ENDLESS }

    /** {@link #times()} of a fault that never wears off. */
    public static final int ALWAYS = -1;

    private final Action action;
    private final int status;
    private final long bytes;
    private final Duration delay;
    private final Duration pace;
    private final int times;
    private final Map<String, String> headers;

    private Fault(Action action, int status, long bytes, Duration delay, Duration pace, int times,
                  Map<String, String> headers) {
        this.action = action;
        this.status = status;
        this.bytes = bytes;
        this.delay = delay;
        this.pace = pace;
        this.times = times;
        this.headers = headers;
    }

    private Fault(Action action, int status, long bytes, Duration delay, int times) {
        this(action, status, bytes, delay, Duration.ZERO, times, Map.of());
    }

    private Fault(Action action, int status, long bytes, Duration delay, Duration pace, int times) {
        this(action, status, bytes, delay, pace, times, Map.of());
    }

    /** Answers {@code code} with a short {@code text/plain} body instead of the file. */
    public static Fault status(int code) {
        if (code < 100 || code > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + code);
        }
        return new Fault(Action.STATUS, code, 0, Duration.ZERO, ALWAYS);
    }

    /** Waits, then serves the path normally; with a client timeout shorter than {@code wait} it looks like a hang. */
    public static Fault delay(Duration wait) {
        return new Fault(Action.SERVE, 0, 0, requireNonNegative(wait), ALWAYS);
    }

    /**
     * Sends the status line and headers with the file's full {@code Content-Length}, then the first
     * {@code bodyBytes} bytes of the body, then closes the connection: the client sees the body end early.
     */
    public static Fault dropConnectionAfter(long bodyBytes) {
        if (bodyBytes < 0) {
            throw new IllegalArgumentException("negative byte count " + bodyBytes);
        }
        return new Fault(Action.DROP_AFTER_BYTES, 0, bodyBytes, Duration.ZERO, ALWAYS);
    }

    /** Closes the connection without sending any response. */
    public static Fault dropConnection() {
        return new Fault(Action.DROP_BEFORE_RESPONSE, 0, 0, Duration.ZERO, ALWAYS);
    }

    /**
     * Sends the status line and headers with the file's full {@code Content-Length}, then its bytes one at a time,
     * one every {@code perByte}: an upstream that never falls silent, yet would take ages to finish. It stops when
     * the client closes the connection.
     */
    public static Fault trickle(Duration perByte) {
        return new Fault(Action.TRICKLE, 0, 1, Duration.ZERO, requirePositive(perByte), ALWAYS);
    }

    /**
     * Answers 200 with a chunked body that never ends, whatever the path: {@code chunkBytes} bytes every
     * {@code every} (while the client keeps up), until the client closes the connection.
     */
    public static Fault endlessBody(int chunkBytes, Duration every) {
        if (chunkBytes < 1) {
            throw new IllegalArgumentException("an endless body needs chunks of at least one byte");
        }
        return new Fault(Action.ENDLESS, 0, chunkBytes, Duration.ZERO, requirePositive(every), ALWAYS);
    }

    /** The same fault, shown only after waiting {@code wait}. */
    public Fault delayed(Duration wait) {
        return new Fault(action, status, bytes, requireNonNegative(wait), pace, times, headers);
    }

    /** The same {@link #status} fault, answering with one more response header ({@code Retry-After}, ...). */
    public Fault header(String name, String value) {
        if (action != Action.STATUS) {
            throw new IllegalStateException("only a status fault answers with headers");
        }
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return new Fault(action, status, bytes, delay, pace, times, Map.copyOf(more));
    }

    /** The same fault for the next request only; later requests are served normally. */
    public Fault once() {
        return times(1);
    }

    /** The same fault for the next {@code count} requests. */
    public Fault times(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("a fault applies to at least one request");
        }
        return new Fault(action, status, bytes, delay, pace, count, headers);
    }

    /** The same fault for every request until it is cleared (the default). */
    public Fault always() {
        return new Fault(action, status, bytes, delay, pace, ALWAYS, headers);
    }

    /** How many requests the fault applies to, or {@link #ALWAYS}. */
    public int times() {
        return times;
    }

    Action action() {
        return action;
    }

    int statusCode() {
        return status;
    }

    /** The headers a status fault answers with. */
    Map<String, String> headers() {
        return headers;
    }

    long bodyBytes() {
        return bytes;
    }

    Duration delayBefore() {
        return delay;
    }

    /** How often a trickling or endless body sends its next byte or chunk. */
    Duration pace() {
        return pace;
    }

    private static Duration requirePositive(Duration d) {
        if (Objects.requireNonNull(d, "pace").toMillis() < 1) {
            throw new IllegalArgumentException("a pace must be at least 1 ms, got " + d);
        }
        return d;
    }

    private static Duration requireNonNegative(Duration d) {
        if (Objects.requireNonNull(d, "delay").isNegative()) {
            throw new IllegalArgumentException("negative delay " + d);
        }
        return d;
    }

    @Override
    public String toString() {
        return action + (action == Action.STATUS ? " " + status : "") + (headers.isEmpty() ? "" : " " + headers)
                + (action == Action.DROP_AFTER_BYTES ? " after " + bytes + " bytes" : "")
                + (action == Action.TRICKLE || action == Action.ENDLESS ? " of " + bytes + " byte(s) every " + pace
                : "")
                + (delay.isZero() ? "" : " after waiting " + delay)
                + (times == ALWAYS ? ", always" : ", " + times + " time(s)");
    }
}
