package dev.vreg.host.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.StaticGoProxy;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests for module paths nobody has: concurrent askers cost each upstream one request, anonymous clients can make
 * the upstreams look for only so many unknown paths a minute, and the remembered misses are deleted once expired.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UnknownModulesTest {

    @TempDir
    static Path temp;

    static final GoModule KNOWN = GoModule.builder("example.com/known", "v1.0.0").build();
    static final int BUDGET = 5;

    static StaticGoProxy upstream;
    static VregServer vreg;
    static VregHttp http;

    @BeforeAll
    static void start() {
        upstream = StaticGoProxy.start(temp.resolve("upstream"), KNOWN);
        VregConfig config = TestVreg.config(TestVreg.newDataDir(), List.of(upstream.baseUrl()));
        config.cache.notFoundValidity = Duration.ofSeconds(2);
        config.cache.anonymousMissesPerMinute = BUDGET;
        vreg = TestVreg.start(config);
        http = new VregHttp(vreg);
    }

    @AfterAll
    static void stop() throws Exception {
        if (vreg != null) {
            vreg.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void concurrentAsksForOneUnknownPathCostTheUpstreamOneRequestAndAreAnsweredTheSame() throws Exception {
        String path = "/example.com/coalesced/@v/v1.0.0.info";
        upstream.resetCounters();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<HttpResponse<byte[]>>> answers = IntStream.range(0, 32)
                    .mapToObj(i -> pool.submit(() -> http.get(path))).toList();
            for (Future<HttpResponse<byte[]>> answer : answers) {
                assertThat(answer.get().statusCode()).isEqualTo(404);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(upstream.requestCount(path)).isOne();
    }

    /** Last: it uses up this address's misses for the minute (the other tests cost one each). */
    @Test
    @Order(Integer.MAX_VALUE)
    void anAnonymousAddressMayCauseOnlySoManyMissesAMinuteAndStillGetsWhatIsCached() {
        assertThat(http.get(KNOWN.modPath()).statusCode()).isEqualTo(200);
        upstream.resetCounters();
        int misses = 0;
        HttpResponse<byte[]> answer = null;
        for (int i = 0; i <= BUDGET; i++) {
            answer = http.get("/example.com/budget" + i + "/@v/list");
            if (answer.statusCode() != 404) {
                break;
            }
            misses++;
        }
        assertThat(answer.statusCode()).isEqualTo(429);
        assertThat(VregHttp.text(answer)).contains("too many requests for unknown modules");
        assertThat(misses).isPositive().isLessThanOrEqualTo(BUDGET);
        assertThat(upstream.totalRequests()).isEqualTo(misses);
        assertThat(http.get("/example.com/budget-over/@v/list").statusCode()).isEqualTo(429);
        assertThat(upstream.totalRequests()).isEqualTo(misses);
        // What the cache holds is still served to the same address.
        assertThat(http.get(KNOWN.modPath()).statusCode()).isEqualTo(200);
        assertThat(upstream.totalRequests()).isEqualTo(BUDGET);
    }

    @Test
    void rememberedMissesAreDeletedOnceTheyExpire() throws Exception {
        String path = "example.com/expiring/@v/v1.0.0.mod";
        assertThat(http.get("/" + path).statusCode()).isEqualTo(404);
        assertThat(notFoundRows(path)).isOne();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (notFoundRows(path) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(notFoundRows(path)).isZero();
    }

    private static long notFoundRows(String path) {
        return http.sql("SELECT count(*) FROM cache_entries WHERE kind = 'NOT_FOUND' AND path = $1", path)
                .get(0).getLong(0);
    }
}
