package dev.vreg.bench;

import dev.vreg.host.VregServer;
import dev.vreg.host.config.VregConfig;
import dev.vreg.testkit.go.FileContent;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.StaticGoProxy;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * A load test of vreg's Go proxy on loopback, the way the go command meets it: a closed loop of concurrent clients,
 * each sending its next request as soon as its last answer is read, over kept-alive HTTP/1.1 connections. Prints
 * requests per second, throughput and latency percentiles per scenario.
 *
 * <pre>
 * java -cp "benchmarks/target/benchmarks.jar:benchmarks/target/lib/*" dev.vreg.bench.GoProxyLoad \
 *     [--seconds 10] [--clients 64] [--plugins plugins] [--data target/bench]
 * </pre>
 *
 * vreg, its embedded PostgreSQL, the upstream and the clients share the machine, so the figures are a floor for what
 * vreg does on its own and a baseline to compare changes against, not a capacity plan.
 */
public final class GoProxyLoad {

    private record Scenario(String name, List<String> paths) {
    }

    private record Result(String name, long requests, long errors, long bytes, double seconds, Histogram latency) {
    }

    public static void main(String[] args) throws Exception {
        int seconds = intOption(args, "--seconds", 10);
        int clients = intOption(args, "--clients", 64);
        Path plugins = Path.of(option(args, "--plugins", "plugins")).toAbsolutePath();
        Path data = Files.createDirectories(Path.of(option(args, "--data", "target/bench")).toAbsolutePath())
                .resolve("run-" + System.currentTimeMillis());

        GoModule small = GoModule.builder("example.com/bench/small", "v1.0.0").build();
        GoModule oneMiB = GoModule.builder("example.com/bench/onemib", "v1.0.0")
                .file("data.bin", FileContent.pseudoRandom(1, 1L << 20)).stored().build();
        List<GoModule> cold = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            cold.add(GoModule.builder("example.com/bench/cold" + i, "v1.0.0")
                    .file("data.bin", FileContent.pseudoRandom(100 + i, 256L << 10)).stored().build());
        }
        List<GoModule> all = new ArrayList<>(List.of(small, oneMiB));
        all.addAll(cold);

        try (StaticGoProxy upstream = StaticGoProxy.start(Files.createDirectories(data.resolve("upstream")),
                all.toArray(GoModule[]::new))) {
            upstream.publishLatest(small);
            VregConfig config = new VregConfig();
            config.dataDir = data.resolve("vreg");
            config.http.host = "127.0.0.1";
            config.http.port = freePort();
            config.plugins.dir = plugins;
            config.bootstrap.goUpstreams = List.of(upstream.baseUrl());
            try (VregServer vreg = VregServer.start(config)) {
                String base = "/go/default/main";
                Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
                HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
                        .setDefaultHost("127.0.0.1").setDefaultPort(vreg.port()),
                        new PoolOptions().setHttp1MaxSize(clients));
                try {
                    List<Result> results = new ArrayList<>();
                    // Cold: every request is a miss that vreg fetches, validates (zip rules, h1) and stores.
                    List<String> coldPaths = new ArrayList<>();
                    for (GoModule module : cold) {
                        coldPaths.add(base + module.zipPath());
                    }
                    results.add(once(http, "cold .zip, 256 KiB, 200 modules", coldPaths, Math.min(clients, 32)));
                    Scenario[] warm = {
                        new Scenario(".info, cached", List.of(base + small.infoPath())),
                        new Scenario(".mod, cached", List.of(base + small.modPath())),
                        new Scenario(".zip 1 MiB, cached", List.of(base + oneMiB.zipPath())),
                        new Scenario("@v/list, merged", List.of(base + small.listPath())),
                        new Scenario("@latest, merged", List.of(base + small.latestPath())),
                    };
                    // Warm-up: every path once (so all are cached), then all of them in turn while the JIT settles.
                    List<String> everyPath = new ArrayList<>();
                    for (Scenario scenario : warm) {
                        everyPath.addAll(scenario.paths());
                    }
                    once(http, "warm-up", everyPath, 1);
                    run(http, new Scenario("warm-up", everyPath), clients, 15);
                    for (Scenario scenario : warm) {
                        results.add(run(http, scenario, clients, seconds));
                    }
                    print(results, clients, upstream.requestCount(oneMiB.zipPath()));
                } finally {
                    http.close();
                    vertx.close().await();
                }
            }
        }
    }

    /** Requests each path once, {@code concurrency} at a time, and reports the whole batch. */
    private static Result once(HttpClient http, String name, List<String> paths, int concurrency)
            throws InterruptedException {
        Histogram latency = new ConcurrentHistogram(3);
        AtomicLong errors = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        AtomicLong next = new AtomicLong();
        CountDownLatch done = new CountDownLatch(concurrency);
        long start = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            loop(http, () -> {
                long index = next.getAndIncrement();
                return index < paths.size() ? paths.get((int) index) : null;
            }, latency, errors, bytes, done);
        }
        done.await(10, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(name, latency.getTotalCount(), errors.get(), bytes.get(), seconds, latency);
    }

    /** {@code clients} loops asking for the scenario's paths in turn for {@code seconds}. */
    private static Result run(HttpClient http, Scenario scenario, int clients, int seconds)
            throws InterruptedException {
        Histogram latency = new ConcurrentHistogram(3);
        AtomicLong errors = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        AtomicLong turn = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        CountDownLatch done = new CountDownLatch(clients);
        long start = System.nanoTime();
        for (int i = 0; i < clients; i++) {
            loop(http, () -> System.nanoTime() < end
                    ? scenario.paths().get((int) (turn.getAndIncrement() % scenario.paths().size())) : null,
                    latency, errors, bytes, done);
        }
        done.await(seconds + 60L, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new Result(scenario.name(), latency.getTotalCount(), errors.get(), bytes.get(), elapsed, latency);
    }

    private interface Paths {
        String next();
    }

    /** One client: sends a request, reads the whole answer, records it, and goes again until no path is left. */
    private static void loop(HttpClient http, Paths paths, Histogram latency, AtomicLong errors, AtomicLong bytes,
                             CountDownLatch done) {
        String path = paths.next();
        if (path == null) {
            done.countDown();
            return;
        }
        long sent = System.nanoTime();
        http.request(new RequestOptions().setMethod(HttpMethod.GET).setURI(path))
                .compose(request -> request.send())
                .compose(response -> response.body().map(body -> {
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException(path + " answered " + response.statusCode());
                    }
                    return body.length();
                }))
                .onComplete(outcome -> {
                    if (outcome.succeeded()) {
                        latency.recordValue(Math.max(1, (System.nanoTime() - sent) / 1000));
                        bytes.addAndGet(outcome.result());
                    } else {
                        errors.incrementAndGet();
                    }
                    loop(http, paths, latency, errors, bytes, done);
                });
    }

    private static void print(List<Result> results, int clients, int oneMiBUpstreamFetches) {
        System.out.printf(Locale.ROOT, "%nvreg Go proxy on loopback, %d clients, %d cores, Java %s%n", clients,
                Runtime.getRuntime().availableProcessors(), Runtime.version());
        System.out.printf(Locale.ROOT, "%-34s %9s %10s %9s %9s %9s %9s %7s%n", "scenario", "requests", "req/s",
                "MiB/s", "p50 ms", "p99 ms", "p99.9 ms", "errors");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "%-34s %9d %10.0f %9.1f %9.2f %9.2f %9.2f %7d%n", r.name(), r.requests(),
                    r.requests() / r.seconds(), r.bytes() / r.seconds() / (1 << 20),
                    r.latency().getValueAtPercentile(50) / 1000.0, r.latency().getValueAtPercentile(99) / 1000.0,
                    r.latency().getValueAtPercentile(99.9) / 1000.0, r.errors());
        }
        System.out.printf(Locale.ROOT, "upstream fetches of the 1 MiB zip over the whole run: %d%n",
                oneMiBUpstreamFetches);
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    private static int intOption(String[] args, String name, int fallback) {
        return Integer.parseInt(option(args, name, Integer.toString(fallback)));
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private GoProxyLoad() {
    }
}
