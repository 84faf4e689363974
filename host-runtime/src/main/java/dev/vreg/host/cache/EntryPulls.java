package dev.vreg.host.cache;

/** Pulls of one cache entry and the bytes they were sent, added to the entry in batches. */
public record EntryPulls(long count, long bytes) {

    public static EntryPulls one(long bytes) {
        return new EntryPulls(1, bytes);
    }

    public EntryPulls plus(EntryPulls other) {
        return new EntryPulls(count + other.count, bytes + other.bytes);
    }
}
