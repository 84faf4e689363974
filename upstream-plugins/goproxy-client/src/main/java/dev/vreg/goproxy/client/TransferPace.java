package dev.vreg.goproxy.client;

import java.util.concurrent.TimeUnit;

/**
 * The pace one fetch's body must keep, on a monotonic clock in nanoseconds: it may not fall silent for the read
 * timeout, may not arrive slower than the minimum rate over a window, and the whole fetch ends by its deadline.
 * Silence and rate are counted only while the consumer asks for data, so a host that holds the body back (a slow
 * disk, a slow client) never makes the upstream look slow; the deadline counts regardless. Windows follow each
 * other: each one that has been asked for long enough is judged, then the next starts from nothing.
 *
 * <p>Not thread-safe; {@link ResponseBody} calls it under its own lock.
 */
final class TransferPace {

    /** Which rule a body broke. */
    enum Breach { SILENT, TOO_SLOW, PAST_DEADLINE }

    private static final long MIN_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final long deadlineAt;
    private final long minBytesPerSecond;
    private final long windowNanos;
    private long silenceNanos;
    private boolean asking;
    private long lastProgress;
    private long accountedAt;
    private long windowAsked;
    private long windowBytes;

    /**
     * @param now               when the body arrived (its headers)
     * @param deadlineAt        when the whole fetch must be over
     * @param silenceNanos      the read timeout
     * @param minBytesPerSecond the minimum rate; 0 for none
     * @param windowNanos       the time the rate is averaged over
     */
    TransferPace(long now, long deadlineAt, long silenceNanos, long minBytesPerSecond, long windowNanos) {
        this.deadlineAt = deadlineAt;
        this.silenceNanos = silenceNanos;
        this.minBytesPerSecond = minBytesPerSecond;
        this.windowNanos = windowNanos;
        this.lastProgress = now;
        this.accountedAt = now;
    }

    /** The consumer asked for more; silence is counted from now. */
    void asked(long now) {
        account(now);
        asking = true;
        lastProgress = now;
    }

    /** The consumer holds the body back. */
    void held(long now) {
        account(now);
        asking = false;
    }

    void received(long now, long bytes) {
        account(now);
        windowBytes += bytes;
        lastProgress = now;
    }

    /** From now on, silence ends the body after at most {@code nanos} (the connection already closed). */
    void shortenSilence(long now, long nanos) {
        silenceNanos = Math.min(silenceNanos, nanos);
        lastProgress = now;
    }

    /** The rule the body has broken by {@code now}, or {@code null}; judging a full window starts the next one. */
    Breach check(long now) {
        if (now - deadlineAt >= 0) {
            return Breach.PAST_DEADLINE;
        }
        account(now);
        if (!asking) {
            lastProgress = now;
        }
        if (now - lastProgress >= silenceNanos) {
            return Breach.SILENT;
        }
        if (minBytesPerSecond > 0 && windowAsked >= windowNanos) {
            if (windowBytes < required(windowAsked)) {
                return Breach.TOO_SLOW;
            }
            windowAsked = 0;
            windowBytes = 0;
        }
        return null;
    }

    /** How long until {@link #check} could find a breach that it does not find now. */
    long nanosUntilNextCheck(long now) {
        long next = Math.min(deadlineAt - now, silenceNanos - (asking ? now - lastProgress : 0));
        if (minBytesPerSecond > 0 && asking) {
            next = Math.min(next, windowNanos - windowAsked);
        }
        return Math.max(MIN_CHECK_NANOS, next);
    }

    /** The bytes of the window judged {@link Breach#TOO_SLOW}. */
    long windowBytes() {
        return windowBytes;
    }

    private void account(long now) {
        if (asking) {
            windowAsked += now - accountedAt;
        }
        accountedAt = now;
    }

    private long required(long askedNanos) {
        return (long) ((double) minBytesPerSecond * askedNanos / TimeUnit.SECONDS.toNanos(1));
    }
}
