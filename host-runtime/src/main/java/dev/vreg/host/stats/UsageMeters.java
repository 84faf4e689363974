package dev.vreg.host.stats;

import dev.vreg.host.proxy.ContentResolver;
import dev.vreg.host.registry.Registry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * vreg's Prometheus meters. Every label value comes from a bounded set: registry ({@code group/name} of a configured
 * registry, {@code none} when the path named none), upstream (a configured upstream's name), file kind
 * ({@link FileKind}), status class ({@code 2xx}...), error kind ({@link dev.vreg.spi.ErrorKind}), operation and job
 * names. Module paths never become labels; they are in the statistics rows.
 */
public final class UsageMeters {

    /** Bucket bounds of the latency histograms, in seconds from 5 ms to 30 s. */
    private static final Duration[] LATENCY = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
        Duration.ofSeconds(30)};
    public static final String NO_REGISTRY = "none";

    private final MeterRegistry registry;
    /** 1 while an upstream's last answer was one (found or not), 0 after a failure; one gauge per upstream. */
    private final ConcurrentMap<String, AtomicInteger> upstreamUp = new ConcurrentHashMap<>();
    /** The pull meters by registry and file kind; both come from bounded sets, so this stays small. */
    private final ConcurrentMap<PullKey, PullMeters> pullMeters = new ConcurrentHashMap<>();

    private record PullKey(String registry, String fileKind) {
    }

    public UsageMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    void pulled(Registry target, String fileKind, int status, long bytesSent, long nanos,
                ContentResolver.Outcome outcome, boolean blocked) {
        String name = target == null ? NO_REGISTRY : target.displayName();
        PullMeters meters = pullMeters.computeIfAbsent(new PullKey(name, fileKind), PullMeters::new);
        meters.requests(status).record(nanos, TimeUnit.NANOSECONDS);
        if (bytesSent > 0) {
            meters.sent().increment(bytesSent);
        }
        if (blocked) {
            meters.blocked().increment();
        }
        if (outcome != null) {
            meters.cache(outcome.source()).increment();
        }
    }

    /**
     * The pull meters of one registry and file kind, each registered when first used (so a series appears once
     * something counts in it, as before) and then kept: a pull costs no lookup by tags. Two event loops may register
     * the same meter at once; the registry returns the same one to both.
     */
    private final class PullMeters {
        private final PullKey key;
        /** By status class, 1xx to 5xx at 1 to 5; 0 for a status outside them. */
        private final Timer[] requests = new Timer[6];
        private final Counter[] cache = new Counter[ContentResolver.Source.values().length];
        private volatile Counter sent;
        private volatile Counter blocked;

        PullMeters(PullKey key) {
            this.key = key;
        }

        Timer requests(int status) {
            int index = status >= 100 && status < 600 ? status / 100 : 0;
            Timer timer = requests[index];
            if (timer == null) {
                timer = Timer.builder("vreg.pull.requests")
                        .description("Requests to the package endpoints, by registry, file kind and status class")
                        .tags("registry", key.registry(), "file_kind", key.fileKind(), "status", statusClass(status))
                        .serviceLevelObjectives(LATENCY)
                        .register(registry);
                requests[index] = timer;
            }
            return timer;
        }

        Counter sent() {
            Counter counter = sent;
            if (counter == null) {
                counter = Counter.builder("vreg.pull.sent").baseUnit("bytes")
                        .description("Bytes of response bodies sent by the package endpoints")
                        .tags("registry", key.registry(), "file_kind", key.fileKind())
                        .register(registry);
                sent = counter;
            }
            return counter;
        }

        Counter blocked() {
            Counter counter = blocked;
            if (counter == null) {
                counter = Counter.builder("vreg.pull.blocked")
                        .description("Package requests the registry's filter rules refused")
                        .tags("registry", key.registry(), "file_kind", key.fileKind())
                        .register(registry);
                blocked = counter;
            }
            return counter;
        }

        Counter cache(ContentResolver.Source source) {
            Counter counter = cache[source.ordinal()];
            if (counter == null) {
                String result = switch (source) {
                    case CACHE -> "hit";
                    case FETCHED -> "miss";
                    case WAITED -> "wait";
                };
                counter = Counter.builder("vreg.cache.requests")
                        .description("Requests for immutable files: hit (served from the cache), miss (fetched) or "
                                + "wait (shared a fetch already in flight)")
                        .tags("registry", key.registry(), "file_kind", key.fileKind(), "result", result)
                        .register(registry);
                cache[source.ordinal()] = counter;
            }
            return counter;
        }
    }

    void upstreamAnswered(String upstream, String fileKind, boolean found, String errorKind, long nanos) {
        String outcome = errorKind != null ? "error" : found ? "ok" : "not_found";
        Timer.builder("vreg.upstream.fetch")
                .description("Fetches from upstreams until their answer's head, by upstream, file kind and outcome")
                .tags("upstream", upstream, "file_kind", fileKind, "outcome", outcome)
                .serviceLevelObjectives(LATENCY)
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
        if (errorKind != null) {
            Counter.builder("vreg.upstream.errors")
                    .description("Failed fetches from upstreams, by upstream and error kind")
                    .tags("upstream", upstream, "kind", errorKind)
                    .register(registry).increment();
        }
        upstreamUp.computeIfAbsent(upstream, name -> {
            AtomicInteger up = new AtomicInteger(1);
            Gauge.builder("vreg.upstream.up", up, AtomicInteger::get)
                    .description("1 while the upstream's last answer was one (found or not found), 0 after a failure")
                    .tag("upstream", name)
                    .register(registry);
            return up;
        }).set(errorKind == null ? 1 : 0);
    }

    void upstreamBytes(String upstream, long bytes) {
        Counter.builder("vreg.upstream.received").baseUnit("bytes")
                .description("Bytes of bodies received from upstreams")
                .tag("upstream", upstream)
                .register(registry).increment(bytes);
    }

    void waited(String upstream) {
        Counter.builder("vreg.singleflight.waits")
                .description("Requests that waited for a fetch of the same file already in flight in this node")
                .tag("upstream", upstream)
                .register(registry).increment();
    }

    /** Counts a run of {@code job} by its result, and times it. */
    public <T> Future<T> job(String job, Future<T> run) {
        Timer.Sample sample = Timer.start(registry);
        return run.andThen(done -> {
            sample.stop(Timer.builder("vreg.job.duration").description("How long background jobs took")
                    .tag("job", job).register(registry));
            Counter.builder("vreg.job.runs").description("Runs of background jobs, by job and result")
                    .tags("job", job, "result", done.succeeded() ? "success" : "failure")
                    .register(registry).increment();
        });
    }

    /** Counts an operation of the blob store by its result. */
    public void blobOperation(String operation, boolean succeeded) {
        Counter.builder("vreg.blobstore.operations")
                .description("Operations of the blob store, by operation and result")
                .tags("operation", operation, "result", succeeded ? "success" : "failure")
                .register(registry).increment();
    }

    static String statusClass(int status) {
        return status >= 100 && status < 600 ? (status / 100) + "xx" : "other";
    }
}
