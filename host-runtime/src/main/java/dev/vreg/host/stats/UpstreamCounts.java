package dev.vreg.host.stats;

import java.util.Arrays;

/**
 * What is added to an {@code upstream_stats} row: answers, bytes and a latency histogram over
 * {@link #LATENCY_BOUNDS_MS} (one more count for slower answers). Immutable: {@link #plus} makes a new one.
 */
final class UpstreamCounts {

    /** Upper bounds of the latency buckets, in milliseconds. */
    static final long[] LATENCY_BOUNDS_MS = {5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000};

    final long fetches;
    final long notFound;
    final long errors;
    final long bytesFetched;
    final long latencyMsSum;
    private final long[] latencyCounts;

    private UpstreamCounts(long fetches, long notFound, long errors, long bytesFetched, long latencyMsSum,
                           long[] latencyCounts) {
        this.fetches = fetches;
        this.notFound = notFound;
        this.errors = errors;
        this.bytesFetched = bytesFetched;
        this.latencyMsSum = latencyMsSum;
        this.latencyCounts = latencyCounts;
    }

    /** One answer that took {@code latencyMs}. */
    static UpstreamCounts answer(boolean found, boolean failed, long latencyMs) {
        long[] counts = new long[LATENCY_BOUNDS_MS.length + 1];
        counts[bucketOf(latencyMs)] = 1;
        return new UpstreamCounts(1, !found && !failed ? 1 : 0, failed ? 1 : 0, 0, latencyMs, counts);
    }

    /** Bytes of a body received. */
    static UpstreamCounts bytes(long bytes) {
        return new UpstreamCounts(0, 0, 0, bytes, 0, new long[LATENCY_BOUNDS_MS.length + 1]);
    }

    UpstreamCounts plus(UpstreamCounts other) {
        long[] sum = new long[latencyCounts.length];
        for (int i = 0; i < sum.length; i++) {
            sum[i] = latencyCounts[i] + other.latencyCounts[i];
        }
        return new UpstreamCounts(fetches + other.fetches, notFound + other.notFound, errors + other.errors,
                bytesFetched + other.bytesFetched, latencyMsSum + other.latencyMsSum, sum);
    }

    /** The histogram as a PostgreSQL array literal. */
    String latencyLiteral() {
        return Arrays.toString(latencyCounts).replace('[', '{').replace(']', '}').replace(" ", "");
    }

    static int bucketOf(long latencyMs) {
        for (int i = 0; i < LATENCY_BOUNDS_MS.length; i++) {
            if (latencyMs <= LATENCY_BOUNDS_MS[i]) {
                return i;
            }
        }
        return LATENCY_BOUNDS_MS.length;
    }

    /**
     * The {@code quantile} (0..1) of a histogram summed from rows: the upper bound of the bucket it falls in, or
     * {@code null} when nothing was measured; {@code -1} when it falls in the unbounded last bucket.
     */
    static Long quantile(long[] counts, double quantile) {
        long total = Arrays.stream(counts).sum();
        if (total == 0) {
            return null;
        }
        long rank = (long) Math.ceil(quantile * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return i < LATENCY_BOUNDS_MS.length ? LATENCY_BOUNDS_MS[i] : -1L;
            }
        }
        return -1L;
    }
}
