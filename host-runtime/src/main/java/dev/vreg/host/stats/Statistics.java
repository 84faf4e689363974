package dev.vreg.host.stats;

import dev.vreg.host.db.BatchedWriter;
import dev.vreg.host.proxy.ContentResolver;
import dev.vreg.host.registry.Registry;
import dev.vreg.host.upstream.Upstream;
import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.Function;

/**
 * What the package endpoints and the upstreams did, counted twice: as Prometheus meters ({@link UsageMeters}) and as
 * hourly and daily statistics rows in PostgreSQL. Recording costs no database round trip: the rows are merged in
 * memory and written in batches ({@link BatchedWriter}) every {@link StatisticsSettings#flushInterval}, on close and
 * when asked, each batch one statement that adds to the rows, so every node adds its own counts exactly.
 */
public final class Statistics {

    /**
     * How one package request was answered, as the request's last stage saw it; {@code blocked} when the registry's
     * filter rules refused it.
     */
    public record Pull(Registry registry, ArtifactRef ref, ContentResolver.Outcome outcome, boolean head,
                       int status, long bytesSent, long nanos, boolean blocked) {
    }

    private final Clock clock;
    private final UsageMeters meters;
    private final StatisticsSettings settings;
    private final StatisticsWrites writes;
    private final BatchedWriter<UsageKey, UsageCounts> usage;
    private final BatchedWriter<UpstreamKey, UpstreamCounts> upstreams;
    private final BatchedWriter<ErrorKey, Long> errors;
    private final BatchedWriter<Long, Health> health;
    private final List<BatchedWriter<?, ?>> writers = new ArrayList<>();

    public Statistics(Vertx vertx, Pool pool, UsageMeters meters, Clock clock, StatisticsSettings settings) {
        this.clock = clock;
        this.meters = meters;
        this.settings = settings;
        this.writes = new StatisticsWrites(pool);
        this.usage = writer(vertx, settings, "usage statistics", UsageCounts::plus, writes::usage);
        this.upstreams = writer(vertx, settings, "upstream statistics", UpstreamCounts::plus, writes::upstreams);
        this.errors = writer(vertx, settings, "upstream error statistics", Long::sum, writes::errors);
        this.health = writer(vertx, settings, "upstream health", Health::later, writes::health);
    }

    private <K, V> BatchedWriter<K, V> writer(Vertx vertx, StatisticsSettings settings, String what,
                                              BinaryOperator<V> merge, Function<Map<K, V>, Future<Void>> write) {
        BatchedWriter<K, V> writer = BatchedWriter.start(vertx, new BatchedWriter.Settings(what,
                settings.flushInterval(), settings.maxPending()), merge,
                batch -> batch.isEmpty() ? Future.succeededFuture() : meters.job("statistics_write", write.apply(batch)));
        writers.add(writer);
        return writer;
    }

    /** The writers, to be closed once requests have stopped. */
    public List<BatchedWriter<?, ?>> writers() {
        return List.copyOf(writers);
    }

    /** Writes everything counted so far. */
    public Future<Void> flush() {
        return Future.all(writers.stream().map(BatchedWriter::flush).toList()).mapEmpty();
    }

    /** Deletes the rows past their retention; any node may, and one doing it is as good as all. */
    public Future<Integer> expire() {
        return meters.job("statistics_retention", writes.expire(clock.instant(), settings.hourlyRetention(),
                settings.dailyRetention()));
    }

    public UsageMeters meters() {
        return meters;
    }

    /** Counts one package request once its response ended. */
    public void pulled(Pull pull) {
        String fileKind = FileKind.of(pull.ref());
        meters.pulled(pull.registry(), fileKind, pull.status(), pull.bytesSent(), pull.nanos(), pull.outcome(),
                pull.blocked());
        if (pull.registry() == null) {
            return;
        }
        ContentResolver.Outcome outcome = pull.outcome();
        boolean hit = outcome != null && outcome.source() == ContentResolver.Source.CACHE;
        boolean fetched = outcome != null && !hit;
        UsageCounts counts = new UsageCounts(1, hit ? 1 : 0, fetched ? 1 : 0,
                pull.status() == 404 || pull.status() == 410 ? 1 : 0, pull.status() >= 500 ? 1 : 0,
                pull.bytesSent(), pull.blocked() ? 1 : 0);
        String module = pull.ref() == null || pull.ref().name() == null ? "" : pull.ref().name();
        long upstreamId = outcome == null ? 0 : outcome.entry().upstreamId();
        Instant now = clock.instant();
        for (Period period : Period.values()) {
            usage.record(new UsageKey(period, period.bucket(now), pull.registry().id(), upstreamId, module, fileKind),
                    counts);
        }
    }

    /**
     * Counts one answer of an upstream to a fetch: found, not found, or failed with {@code failure}; {@code nanos}
     * until its head arrived.
     */
    public void upstreamAnswered(Upstream upstream, ArtifactRef ref, boolean found, Throwable failure, long nanos) {
        boolean failed = failure != null;
        String kind = failed ? errorKind(failure) : null;
        meters.upstreamAnswered(upstream.name(), FileKind.of(ref), found, kind, nanos);
        Instant now = clock.instant();
        long latencyMs = nanos / 1_000_000;
        for (Period period : Period.values()) {
            Instant bucket = period.bucket(now);
            upstreams.record(new UpstreamKey(period, bucket, upstream.id()),
                    UpstreamCounts.answer(found, failed, latencyMs));
            if (failed) {
                errors.record(new ErrorKey(period, bucket, upstream.id(), kind), 1L);
            }
        }
        health.record(upstream.id(), failed
                ? new Health(null, now, kind, String.valueOf(failure.getMessage()))
                : new Health(now, null, null, null));
    }

    /** Counts bytes of an upstream's body as they arrived. */
    public void upstreamBytes(Upstream upstream, long bytes) {
        if (bytes <= 0) {
            return;
        }
        meters.upstreamBytes(upstream.name(), bytes);
        Instant now = clock.instant();
        for (Period period : Period.values()) {
            upstreams.record(new UpstreamKey(period, period.bucket(now), upstream.id()), UpstreamCounts.bytes(bytes));
        }
    }

    /** A request that waited for a fetch of the same file already in flight in this node. */
    public void waited(Upstream upstream) {
        meters.waited(upstream.name());
    }

    /** The lower-case {@link ErrorKind} of a failure; {@code internal} for one that is not a vreg failure. */
    static String errorKind(Throwable failure) {
        return failure instanceof VregException vreg && vreg.kind() != null
                ? vreg.kind().name().toLowerCase(Locale.ROOT) : "internal";
    }
}
