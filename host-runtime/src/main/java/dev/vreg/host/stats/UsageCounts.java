package dev.vreg.host.stats;

/** What is added to a {@code usage_stats} row. Immutable, as batched values must be. */
record UsageCounts(long requests, long hits, long fetches, long notFound, long errors, long bytesServed,
                   long blocked) {

    UsageCounts plus(UsageCounts other) {
        return new UsageCounts(requests + other.requests, hits + other.hits, fetches + other.fetches,
                notFound + other.notFound, errors + other.errors, bytesServed + other.bytesServed,
                blocked + other.blocked);
    }
}
