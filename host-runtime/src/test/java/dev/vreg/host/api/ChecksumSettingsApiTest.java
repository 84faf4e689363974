package dev.vreg.host.api;

import static dev.vreg.host.api.AdminApiFixture.ADMIN;
import static dev.vreg.host.api.AdminApiFixture.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.api.ApiClient.Answer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /groups/{group}/registries/{registry}/checksum-database}: defaults, replacement, validation, roles. */
class ChecksumSettingsApiTest {

    static final String PATH = "/api/v1/groups/acme/registries/main/checksum-database";
    static final String SUM_GOLANG_ORG = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8";
    static final String TEST_KEY = "localhost.localdev/sumdb+00000c67+AcTrnkbUA+TU4heY3hkjiSES/DSQniBqIeQ/YppAUtK6";

    static AdminApiFixture f;
    static String reader;
    static String maintainer;

    @BeforeAll
    static void start() {
        f = new AdminApiFixture(20, 20);
        f.group("acme");
        f.registry("acme", "main");
        reader = f.member("rita", "acme", "reader", "read", "write");
        maintainer = f.member("max", "acme", "maintainer", "read", "write");
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void aRegistryStartsWithSumGolangOrgAndNoVerification() {
        f.registry("acme", "fresh");
        JsonObject settings = expect(f.api.get("/api/v1/groups/acme/registries/fresh/checksum-database", reader), 200);
        assertThat(settings.getString("verification")).isEqualTo("off");
        assertThat(settings.getJsonArray("databases")).containsExactly(new JsonObject().put("name", "sum.golang.org")
                .put("key", SUM_GOLANG_ORG).putNull("url"));
        assertThat(settings.getJsonArray("privatePatterns")).isEmpty();
        assertThat(settings.getLong("answerValiditySeconds")).isEqualTo(60);
    }

    @Test
    void aMaintainerReplacesTheSettingsAndReadersSeeThem() {
        JsonObject body = new JsonObject().put("verification", "enforce")
                .put("databases", new JsonArray().add(new JsonObject().put("key", TEST_KEY)
                        .put("url", "https://sumdb.example/sumdb/localhost.localdev/sumdb/")))
                .put("privatePatterns", new JsonArray().add("*.corp.example").add("example.com/private"))
                .put("answerValiditySeconds", 5);
        JsonObject saved = expect(f.api.put(PATH, maintainer, body), 200);
        assertThat(expect(f.api.get(PATH, reader), 200)).isEqualTo(saved);
        assertThat(saved.getString("verification")).isEqualTo("enforce");
        assertThat(saved.getJsonArray("databases").getJsonObject(0).getString("name"))
                .isEqualTo("localhost.localdev/sumdb");
        assertThat(saved.getJsonArray("databases").getJsonObject(0).getString("url"))
                .isEqualTo("https://sumdb.example/sumdb/localhost.localdev/sumdb");
        assertThat(saved.getJsonArray("privatePatterns").getList()).isEqualTo(List.of("*.corp.example",
                "example.com/private"));
        // Fields left out take their defaults again.
        JsonObject reset = expect(f.api.put(PATH, maintainer, new JsonObject()), 200);
        assertThat(reset.getString("verification")).isEqualTo("off");
        assertThat(reset.getJsonArray("databases").getJsonObject(0).getString("key")).isEqualTo(SUM_GOLANG_ORG);
    }

    @Test
    void readersMayNotChangeThem() {
        Answer refused = f.api.put(PATH, reader, new JsonObject().put("verification", "warn"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.contentType()).isEqualTo("application/problem+json");
        assertThat(f.api.put(PATH, null, new JsonObject()).status()).isEqualTo(401);
    }

    @Test
    void settingsOutsideTheSchemaAreRefusedNamingEachField() {
        Answer refused = f.api.put(PATH, maintainer, new JsonObject().put("verification", "strict")
                .put("databases", new JsonArray().add(new JsonObject().put("name", "x")))
                .put("answerValiditySeconds", -1)
                .put("colour", "blue"));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.contentType()).isEqualTo("application/problem+json");
        assertThat(fields(refused)).contains("colour", "verification", "answerValiditySeconds");
        assertThat(f.api.put(PATH, maintainer, new JsonObject().put("databases", new JsonArray())).status())
                .isEqualTo(422);
    }

    @Test
    void keysUrlsAndPatternsAreCheckedByTheFormat() {
        Answer refused = f.api.put(PATH, maintainer, new JsonObject().put("verification", "warn")
                .put("databases", new JsonArray()
                        .add(new JsonObject().put("key", SUM_GOLANG_ORG.replace("033de0ae", "033de0af")))
                        .add(new JsonObject().put("key", TEST_KEY).put("url", "ftp://sumdb.example"))
                        .add(new JsonObject().put("key", SUM_GOLANG_ORG))
                        .add(new JsonObject().put("key", SUM_GOLANG_ORG)))
                .put("privatePatterns", new JsonArray().add("example.com/ok").add("example.com/[")));
        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        assertThat(refused.contentType()).isEqualTo("application/problem+json");
        assertThat(fields(refused)).containsExactlyInAnyOrder("databases[0].key", "databases[1].url",
                "databases[3].key", "privatePatterns[1]");
        assertThat(refused.body()).contains("hash does not match", "a second time", "malformed");
        // Nothing was stored.
        assertThat(expect(f.api.get(PATH, reader), 200).getString("verification")).isNotEqualTo("warn");
    }

    private static List<String> fields(Answer answer) {
        return answer.json().getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("field")).toList();
    }

    @Test
    void anUnknownRegistryIsNotFound() {
        assertThat(f.api.get("/api/v1/groups/acme/registries/nope/checksum-database", reader).status())
                .isEqualTo(404);
    }
}
