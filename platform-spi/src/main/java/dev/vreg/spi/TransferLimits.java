package dev.vreg.spi;

import java.time.Duration;

/**
 * How slowly an upstream may send before a fetch fails with {@link ErrorKind#UPSTREAM_TIMEOUT}. The read timeout of
 * {@link UpstreamConfig} catches an upstream that falls silent; these catch one that keeps sending, too little or for
 * too long.
 *
 * @param deadline          the longest a whole fetch may take, from sending the request to the last byte of the body
 * @param minBytesPerSecond the lowest average rate a body may arrive at, judged over each {@code window} of time in
 *                          which the host asked for more of it (time the host held the body back does not count);
 *                          {@code 0}: no minimum
 * @param window            how long the rate is averaged over; a body shorter in time than one window is never
 *                          judged by its rate
 */
public record TransferLimits(Duration deadline, long minBytesPerSecond, Duration window) {

    /**
     * The host's defaults. 30 minutes lets the largest zip the go command accepts (500 MiB) finish at 285 KiB/s;
     * 16 KiB/s over 30 seconds is far below any working link and far above a trickle.
     */
    public static final TransferLimits DEFAULT =
            new TransferLimits(Duration.ofMinutes(30), 16 * 1024, Duration.ofSeconds(30));

    /** {@code null} durations take the {@link #DEFAULT} ones; a negative rate counts as none. */
    public TransferLimits {
        deadline = deadline == null ? DEFAULT.deadline : deadline;
        minBytesPerSecond = Math.max(0, minBytesPerSecond);
        window = window == null ? DEFAULT.window : window;
    }
}
