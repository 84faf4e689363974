package dev.vreg.host.api;

import static dev.vreg.host.api.AdminApiFixture.ADMIN;
import static dev.vreg.host.api.AdminApiFixture.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.api.ApiClient.Answer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Creating, reading, changing and deleting registries and upstreams; validation, duplicates and limits. */
class RegistriesAndUpstreamsTest {

    static AdminApiFixture f;

    @BeforeAll
    static void start() {
        f = new AdminApiFixture(6, 20);
        f.group("acme");
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
    }

    static String path(String rest) {
        return "/api/v1/groups/acme" + rest;
    }

    @Test
    void aRegistryCanBeCreatedReadChangedAndDeleted() {
        JsonObject created = expect(f.api.post(path("/registries"), ADMIN, new JsonObject().put("name", "crud")
                .put("format", "go").put("description", "team modules")), 201);
        assertThat(created.getBoolean("public")).isFalse();
        assertThat(created.getString("path")).isEqualTo("/go/acme/crud");
        assertThat(created.getInteger("upstreamsCount")).isZero();
        JsonObject changed = expect(f.api.patch(path("/registries/crud"), ADMIN, new JsonObject().put("public", true)),
                200);
        assertThat(changed.getBoolean("public")).isTrue();
        assertThat(changed.getString("description")).isEqualTo("team modules");
        assertThat(expect(f.api.get(path("/registries/crud"), ADMIN), 200).getJsonArray("upstreams")).isEmpty();
        assertThat(f.api.get(path("/registries"), ADMIN).array().stream()
                .map(r -> ((JsonObject) r).getString("name"))).contains("crud");
        expect(f.api.delete(path("/registries/crud"), ADMIN), 204);
        assertThat(f.api.get(path("/registries/crud"), ADMIN).status()).isEqualTo(404);
        assertThat(f.api.delete(path("/registries/crud"), ADMIN).status()).isEqualTo(404);
    }

    @Test
    void invalidFieldsAreAllNamedInOneProblem() {
        Answer answer = f.api.post(path("/registries"), ADMIN, new JsonObject().put("name", "Bad Name")
                .put("format", "cobol").put("public", "yes").put("colour", "red"));
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.contentType()).isEqualTo("application/problem+json");
        JsonObject problem = answer.json();
        assertThat(problem.getString("title")).isNotBlank();
        assertThat(problem.getInteger("status")).isEqualTo(422);
        assertThat(problem.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("field")))
                .containsExactlyInAnyOrder("colour", "name", "public");
        assertThat(problem.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("message")))
                .contains("is not a known field", "must be of type boolean");
        // What the schema cannot know, such as which formats are loaded, is checked once the shape is right.
        Answer format = f.api.post(path("/registries"), ADMIN, new JsonObject().put("name", "fine")
                .put("format", "cobol"));
        assertThat(format.status()).isEqualTo(422);
        assertThat(format.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("format");
    }

    @Test
    void aBodyThatIsNotJsonIsABadRequest() {
        Answer answer = f.api.post(path("/registries"), ADMIN, "{not json");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).isEqualTo("application/problem+json");
        Answer array = f.api.post(path("/registries"), ADMIN, "[1]");
        assertThat(array.status()).isEqualTo(422);
        assertThat(array.json().getJsonArray("errors").getJsonObject(0).getString("message"))
                .isEqualTo("must be of type object");
        Answer empty = f.api.post(path("/registries"), ADMIN, null);
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().getString("detail")).contains("body is required");
    }

    @Test
    void requestsAreCheckedAgainstTheApiDescriptionBeforeAnythingRuns() {
        Answer text = f.api.send("POST", path("/registries"), ADMIN, "text/plain",
                new JsonObject().put("name", "texty").put("format", "go"));
        assertThat(text.status()).isEqualTo(415);
        assertThat(text.contentType()).isEqualTo("application/problem+json");
        assertThat(f.api.get(path("/registries/texty"), ADMIN).status()).isEqualTo(404);

        Answer name = f.api.get("/api/v1/groups/Not%20Valid", ADMIN);
        assertThat(name.status()).isEqualTo(400);
        assertThat(name.json().getString("detail")).startsWith("the path parameter group");
        assertThat(name.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("group");

        Answer id = f.api.get(path("/upstreams/abc"), ADMIN);
        assertThat(id.status()).isEqualTo(400);
        assertThat(id.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("upstreamId");

        // Authentication comes first: an anonymous caller learns nothing about the shape of a request.
        assertThat(f.api.get("/api/v1/groups/Not%20Valid", null).status()).isEqualTo(401);
    }

    @Test
    void anOversizedBodyIsRefusedBeforeItIsRead() {
        Answer huge = f.api.post(path("/registries"), ADMIN, new JsonObject().put("name", "huge").put("format", "go")
                .put("description", "x".repeat(300 * 1024)));
        assertThat(huge.status()).isEqualTo(413);
        assertThat(huge.contentType()).isEqualTo("application/problem+json");
        assertThat(huge.json().getString("detail")).contains("larger than");
        assertThat(f.api.get(path("/registries/huge"), ADMIN).status()).isEqualTo(404);
        Answer unknown = f.api.get("/api/v1/no-such-thing", ADMIN);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).isEqualTo("application/problem+json");
    }

    @Test
    void aSecondRegistryOfTheSameNameIsAConflict() {
        f.registry("acme", "twice");
        Answer again = f.api.post(path("/registries"), ADMIN, new JsonObject().put("name", "twice").put("format", "go"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().getString("detail")).contains("acme/twice");
    }

    @Test
    void registriesPerGroupAndFormatAreLimited() {
        f.group("limited");
        for (int i = 0; i < 6; i++) {
            expect(f.api.post("/api/v1/groups/limited/registries", ADMIN,
                    new JsonObject().put("name", "r" + i).put("format", "go")), 201);
        }
        Answer over = f.api.post("/api/v1/groups/limited/registries", ADMIN,
                new JsonObject().put("name", "r6").put("format", "go"));
        assertThat(over.status()).isEqualTo(409);
        assertThat(over.json().getString("detail")).contains("limit");
    }

    @Test
    void anUpstreamIsShownWithItsStatusAndTheRegistriesUsingIt() {
        long id = f.upstream("acme", "http://127.0.0.1:9/shown/");
        f.registry("acme", "user");
        expect(f.api.post(path("/registries/user/upstreams"), ADMIN, new JsonObject().put("upstreamId", id)), 201);
        JsonObject upstream = expect(f.api.get(path("/upstreams/" + id), ADMIN), 200);
        assertThat(upstream.getString("url")).isEqualTo("http://127.0.0.1:9/shown");
        assertThat(upstream.getBoolean("credentialsSet")).isFalse();
        assertThat(upstream.getJsonObject("status").getString("state")).isEqualTo("unknown");
        assertThat(upstream.getJsonArray("usedBy")).containsExactly(
                new JsonObject().put("registry", "user").put("position", 1));
        JsonObject changed = expect(f.api.patch(path("/upstreams/" + id), ADMIN, new JsonObject()
                .put("name", "renamed").put("moduleHints", new JsonArray().add("example.com/*"))), 200);
        assertThat(changed.getString("name")).isEqualTo("renamed");
        assertThat(changed.getJsonArray("moduleHints")).containsExactly("example.com/*");
        assertThat(changed.getString("updatedAt")).isGreaterThan(upstream.getString("updatedAt"));
    }

    @Test
    void theSameUrlTwiceIsAConflictNamingTheExistingUpstream() {
        long id = f.upstream("acme", "https://proxy.example/dup");
        Answer again = f.api.post(path("/upstreams"), ADMIN,
                new JsonObject().put("kind", "goproxy").put("url", "https://proxy.example/dup/"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().getString("detail")).contains("upstream " + id);
        long other = f.upstream("acme", "https://proxy.example/other");
        Answer moved = f.api.patch(path("/upstreams/" + other), ADMIN,
                new JsonObject().put("url", "https://proxy.example/dup"));
        assertThat(moved.status()).isEqualTo(409);
    }

    @Test
    void upstreamKindsAndUrlsAreChecked() {
        Answer answer = f.api.post(path("/upstreams"), ADMIN, new JsonObject().put("kind", "ftp")
                .put("url", "https://user:secret-password@proxy.example/").put("settings", "x"));
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.body()).doesNotContain("secret-password");
        assertThat(answer.json().getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("field")))
                .containsExactly("settings");
        Answer second = f.api.post(path("/upstreams"), ADMIN, new JsonObject().put("kind", "ftp")
                .put("url", "https://user:secret-password@proxy.example/"));
        assertThat(second.status()).isEqualTo(422);
        assertThat(second.body()).doesNotContain("secret-password");
        assertThat(second.json().getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("field")))
                .containsExactlyInAnyOrder("kind", "url");
        assertThat(f.api.post(path("/upstreams"), ADMIN, new JsonObject().put("kind", "goproxy")
                .put("url", "file:///tmp")).status()).isEqualTo(422);
    }

    @Test
    void settingsAreCheckedAgainstTheSchemaTheUpstreamsPluginDeclares() {
        JsonObject goproxy = f.api.get("/api/v1/upstream-kinds", ADMIN).array().stream().map(JsonObject.class::cast)
                .filter(k -> k.getString("kind").equals("goproxy")).findFirst().orElseThrow();
        assertThat(goproxy.getJsonArray("formats")).containsExactly("go");
        assertThat(goproxy.getJsonObject("settingsSchema").getJsonObject("properties").containsKey("probePath"))
                .isTrue();

        Answer invalid = f.api.post(path("/upstreams"), ADMIN, new JsonObject().put("kind", "goproxy")
                .put("url", "https://proxy.example/settings")
                .put("settings", new JsonObject().put("colour", "red").put("probePath", "/absolute/")));
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.json().getJsonArray("errors").stream().map(JsonObject.class::cast)
                .map(e -> e.getString("field") + ": " + e.getString("message")))
                .containsExactlyInAnyOrder("settings.colour: is not a known field",
                        "settings.probePath: must be a relative path without a leading or trailing '/', '?', '#' "
                                + "or spaces");
        assertThat(f.api.post(path("/upstreams/test"), ADMIN, new JsonObject().put("kind", "goproxy")
                .put("url", "https://proxy.example/settings")
                .put("settings", new JsonObject().put("colour", "red"))).status()).isEqualTo(422);

        long id = expect(f.api.post(path("/upstreams"), ADMIN, new JsonObject().put("kind", "goproxy")
                .put("url", "https://proxy.example/settings")
                .put("settings", new JsonObject().put("probePath", "example.com/x/@v/list"))), 201).getLong("id");
        Answer changed = f.api.patch(path("/upstreams/" + id), ADMIN,
                new JsonObject().put("settings", new JsonObject().put("probePath", 7)));
        assertThat(changed.status()).isEqualTo(422);
        assertThat(changed.json().getJsonArray("errors").getJsonObject(0).getString("field"))
                .isEqualTo("settings.probePath");
        assertThat(changed.json().getJsonArray("errors").getJsonObject(0).getString("message"))
                .isEqualTo("must be of type string");
        assertThat(expect(f.api.get(path("/upstreams/" + id), ADMIN), 200).getJsonObject("settings")
                .getString("probePath")).isEqualTo("example.com/x/@v/list");
    }

    @Test
    void anUpstreamInUseIsDeletedOnlyWhenForcedAndTheGapsClose() {
        long first = f.upstream("acme", "http://127.0.0.1:9/first");
        long second = f.upstream("acme", "http://127.0.0.1:9/second");
        f.registry("acme", "using");
        for (long id : new long[] {first, second}) {
            expect(f.api.post(path("/registries/using/upstreams"), ADMIN, new JsonObject().put("upstreamId", id)), 201);
        }
        Answer refused = f.api.delete(path("/upstreams/" + first), ADMIN);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().getString("detail")).contains("using").contains("force=true");
        expect(f.api.delete(path("/upstreams/" + first + "?force=true"), ADMIN), 204);
        assertThat(f.links("acme", "using")).containsExactly(new JsonObject().put("position", 1)
                .put("upstreamId", second).put("name", "127.0.0.1:9/second").put("kind", "goproxy")
                .put("url", "http://127.0.0.1:9/second"));
        assertThat(expect(f.api.get(path("/registries/using"), ADMIN), 200).getInteger("upstreamsCount")).isOne();
        assertThat(f.api.get(path("/upstreams/" + first), ADMIN).status()).isEqualTo(404);
    }

    @Test
    void unknownRoutesAnswerProblemJson() {
        Answer answer = f.api.get("/api/v1/nothing", ADMIN);
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.contentType()).isEqualTo("application/problem+json");
    }
}
