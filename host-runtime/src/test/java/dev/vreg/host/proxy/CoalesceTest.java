package dev.vreg.host.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.cache.CacheEntry;
import dev.vreg.host.upstream.Upstream;
import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.AssetKind;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class CoalesceTest {

    static final Upstream UPSTREAM = new Upstream(7, 1, "up", "goproxy", "http://127.0.0.1:1", null,
            new JsonObject(), null, null, List.of(), null, null, Instant.EPOCH, true);
    static final ArtifactRef REF = new ArtifactRef("example.com/m/@v/v1.0.0.zip", AssetKind.CONTENT,
            "example.com/m", "v1.0.0", "zip");

    final List<Promise<String>> calls = new ArrayList<>();
    final UpstreamCall<String> chain = UpstreamCall.chain(ask -> {
        Promise<String> answer = Promise.promise();
        calls.add(answer);
        return answer.future();
    }, new Coalesce<String>(UnaryOperator.identity()));

    static Ask ask(CacheEntry cached) {
        return new Ask(null, UPSTREAM, null, REF, cached, null, null);
    }

    static CacheEntry entry(long id, Instant checkedAt) {
        return new CacheEntry(id, UPSTREAM.id(), REF.path(), CacheEntry.CONTENT, "ab".repeat(32), null, 1,
                "application/zip", null, new JsonObject(), checkedAt, checkedAt);
    }

    @Test
    void asksThatSawTheSameCacheShareOneCall() {
        CacheEntry stale = entry(3, Instant.parse("2026-01-01T00:00:00Z"));
        Future<String> first = chain.call(ask(null));
        Future<String> second = chain.call(ask(null));
        Future<String> third = chain.call(ask(stale));
        Future<String> fourth = chain.call(ask(entry(3, Instant.parse("2026-01-01T00:00:00Z"))));

        assertThat(calls).hasSize(2);
        calls.get(0).complete("fetched past nothing");
        calls.get(1).complete("fetched past the stale row");
        assertThat(second.result()).isEqualTo(first.result()).isEqualTo("fetched past nothing");
        assertThat(fourth.result()).isEqualTo(third.result()).isEqualTo("fetched past the stale row");
    }

    @Test
    void anAskPassingOverARowDoesNotJoinAFlightThatBeganBeforeTheRow() {
        Future<String> leader = chain.call(ask(null));
        // The leader committed row 5 and is still finishing its flight when its damaged blob is noticed.
        Future<String> refetch = chain.call(ask(entry(5, Instant.parse("2026-02-01T00:00:00Z"))));

        assertThat(calls).hasSize(2);
        assertThat(refetch.isComplete()).isFalse();
        calls.get(0).complete("row 5");
        assertThat(leader.result()).isEqualTo("row 5");
        assertThat(refetch.isComplete()).isFalse();
        calls.get(1).complete("row 6");
        assertThat(refetch.result()).isEqualTo("row 6");
    }

    @Test
    void theFlightIsForgottenOnceItEnded() {
        Future<String> first = chain.call(ask(null));
        calls.get(0).complete("one");
        Future<String> later = chain.call(ask(null));
        assertThat(calls).hasSize(2);
        calls.get(1).complete("two");
        assertThat(first.result()).isEqualTo("one");
        assertThat(later.result()).isEqualTo("two");
    }
}
