package dev.vreg.upstream.gitlab;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A small memo of one upstream client's GitLab reads, so that the {@code .info}, {@code .mod} and {@code .zip}
 * requests of one version, and the modules of one project, read a project, a commit or a file once. Entries are
 * bounded in number and expire: each answer is kept for the time its kind allows (long for what a commit hash fixes,
 * short for what a push or a settings change can alter). A read in flight is shared by the requests that ask for it
 * meanwhile; a failed read is dropped at once, so only answers (including "there is none") are kept. Keys name
 * projects by id or path, revisions and files, never credentials. Thread-safe.
 */
final class ReadMemo {

    /** How long an answer fixed by a commit hash, or by a release tag once seen, is kept. */
    static final Duration IMMUTABLE = Duration.ofMinutes(10);
    /** How long an answer a push or a project change can alter is kept. */
    static final Duration MUTABLE = Duration.ofSeconds(20);

    private record Entry(Future<?> value, Instant until) {
    }

    private final int maxEntries;
    private final Clock clock;
    private final Map<String, Entry> entries;

    ReadMemo(int maxEntries, Clock clock) {
        this.maxEntries = maxEntries;
        this.clock = clock;
        this.entries = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > ReadMemo.this.maxEntries;
            }
        };
    }

    /**
     * The memoized answer for {@code key}, or the one {@code read} gives, kept for what {@code keep} says of it
     * ({@link Duration#ZERO} keeps it only while in flight).
     */
    @SuppressWarnings("unchecked")
    <T> Future<T> get(String key, Function<T, Duration> keep, Supplier<Future<T>> read) {
        Instant now = clock.instant();
        Future<T> started;
        synchronized (this) {
            Entry e = entries.get(key);
            if (e != null && now.isBefore(e.until())) {
                return (Future<T>) e.value();
            }
            started = read.get();
            // Until it completes, the read is shared for at most the short time.
            entries.put(key, new Entry(started, now.plus(MUTABLE)));
        }
        return started.andThen(done -> {
            synchronized (this) {
                Entry e = entries.get(key);
                if (e == null || e.value() != started) {
                    return;
                }
                Duration d = done.succeeded() ? keep.apply(done.result()) : Duration.ZERO;
                if (d.isZero() || d.isNegative()) {
                    entries.remove(key);
                } else {
                    entries.put(key, new Entry(started, clock.instant().plus(d)));
                }
            }
        });
    }

    /** The answer kept for {@code key} if one is, complete and fresh; null otherwise. */
    @SuppressWarnings("unchecked")
    synchronized <T> T peek(String key) {
        Entry e = entries.get(key);
        if (e == null || !clock.instant().isBefore(e.until()) || !e.value().succeeded()) {
            return null;
        }
        return (T) e.value().result();
    }

    synchronized int size() {
        return entries.size();
    }
}
