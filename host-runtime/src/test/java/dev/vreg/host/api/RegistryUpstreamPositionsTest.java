package dev.vreg.host.api;

import static dev.vreg.host.api.AdminApiFixture.ADMIN;
import static dev.vreg.host.api.AdminApiFixture.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.api.ApiClient.Answer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Registry ↔ upstream links: positions stay 1..n without gaps through inserts, moves, removals and races. */
class RegistryUpstreamPositionsTest {

    static AdminApiFixture f;

    @BeforeAll
    static void start() {
        f = new AdminApiFixture(20, 5);
        f.group("acme");
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
    }

    static List<Long> linked(String registry, int count) {
        f.registry("acme", registry);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long id = f.upstream("acme", "http://127.0.0.1:9/" + registry + "/" + i);
            expect(f.api.post("/api/v1/groups/acme/registries/" + registry + "/upstreams", ADMIN,
                    new JsonObject().put("upstreamId", id)), 201);
            ids.add(id);
        }
        return ids;
    }

    static List<Long> order(String registry) {
        JsonArray links = f.links("acme", registry);
        for (int i = 0; i < links.size(); i++) {
            assertThat(links.getJsonObject(i).getInteger("position")).isEqualTo(i + 1);
        }
        return links.stream().map(l -> ((JsonObject) l).getLong("upstreamId")).toList();
    }

    static String base(String registry) {
        return "/api/v1/groups/acme/registries/" + registry + "/upstreams";
    }

    @Test
    void insertingAtAPositionShiftsTheOthersDown() {
        List<Long> ids = linked("insert", 2);
        long third = f.upstream("acme", "http://127.0.0.1:9/insert/front");
        expect(f.api.post(base("insert"), ADMIN, new JsonObject().put("upstreamId", third).put("position", 1)), 201);
        assertThat(order("insert")).containsExactly(third, ids.get(0), ids.get(1));
        assertThat(expect(f.api.get("/api/v1/groups/acme/registries/insert", ADMIN), 200)
                .getInteger("upstreamsCount")).isEqualTo(3);
        Answer far = f.api.post(base("insert"), ADMIN, new JsonObject().put("upstreamId",
                f.upstream("acme", "http://127.0.0.1:9/insert/far")).put("position", 9));
        assertThat(far.status()).isEqualTo(422);
        assertThat(f.api.post(base("insert"), ADMIN, new JsonObject().put("upstreamId", third)).status())
                .isEqualTo(409);
    }

    @Test
    void movingUpAndDownAndRemovingKeepPositionsContiguous() {
        List<Long> ids = linked("moves", 4);
        expect(f.api.patch(base("moves") + "/" + ids.get(3), ADMIN, new JsonObject().put("position", 1)), 200);
        assertThat(order("moves")).containsExactly(ids.get(3), ids.get(0), ids.get(1), ids.get(2));
        expect(f.api.patch(base("moves") + "/" + ids.get(3), ADMIN, new JsonObject().put("position", 3)), 200);
        assertThat(order("moves")).containsExactly(ids.get(0), ids.get(1), ids.get(3), ids.get(2));
        expect(f.api.delete(base("moves") + "/" + ids.get(1), ADMIN), 204);
        assertThat(order("moves")).containsExactly(ids.get(0), ids.get(3), ids.get(2));
        assertThat(f.api.patch(base("moves") + "/" + ids.get(0), ADMIN, new JsonObject().put("position", 4))
                .status()).isEqualTo(422);
        assertThat(f.api.delete(base("moves") + "/" + ids.get(1), ADMIN).status()).isEqualTo(404);
    }

    @Test
    void upstreamsPerRegistryAreLimited() {
        linked("full", 5);
        Answer over = f.api.post(base("full"), ADMIN,
                new JsonObject().put("upstreamId", f.upstream("acme", "http://127.0.0.1:9/full/6")));
        assertThat(over.status()).isEqualTo(409);
        assertThat(over.json().getString("detail")).contains("limit");
    }

    @Test
    void anUpstreamOfAnotherGroupCannotBeLinked() {
        f.group("elsewhere");
        long foreign = f.upstream("elsewhere", "http://127.0.0.1:9/foreign");
        f.registry("acme", "mine");
        Answer answer = f.api.post(base("mine"), ADMIN, new JsonObject().put("upstreamId", foreign));
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("upstreamId");
    }

    @Test
    void tenConcurrentMovesEndWithPositionsOneToNWithoutGaps() throws Exception {
        List<Long> ids = linked("race", 5);
        Random random = new Random(7);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<CompletableFuture<Integer>> moves = IntStream.range(0, 10).mapToObj(i -> {
                long id = ids.get(random.nextInt(ids.size()));
                int position = 1 + random.nextInt(ids.size());
                return CompletableFuture.supplyAsync(() -> f.api.patch(base("race") + "/" + id, ADMIN,
                        new JsonObject().put("position", position)).status(), pool);
            }).toList();
            for (CompletableFuture<Integer> move : moves) {
                assertThat(move.get(60, TimeUnit.SECONDS)).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(order("race")).containsExactlyInAnyOrderElementsOf(ids);
        List<Integer> positions = new ArrayList<>();
        Row counter = null;
        for (Row row : f.vreg.pool().preparedQuery("""
                        SELECT ru.position, r.upstreams_count FROM registry_upstreams ru
                          JOIN registries r ON r.id = ru.registry_id WHERE r.name = $1 ORDER BY ru.position""")
                .execute(Tuple.of("race")).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)) {
            positions.add(row.getInteger("position"));
            counter = row;
        }
        assertThat(positions).containsExactly(1, 2, 3, 4, 5);
        assertThat(counter.getInteger("upstreams_count")).isEqualTo(5);
    }
}
