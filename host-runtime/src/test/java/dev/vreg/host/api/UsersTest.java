package dev.vreg.host.api;

import static dev.vreg.host.api.AdminApiFixture.ADMIN;
import static dev.vreg.host.api.AdminApiFixture.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.api.ApiClient.Answer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reading, changing and deleting users; the instance keeps an admin and every group an owner. */
class UsersTest {

    static AdminApiFixture f;

    @BeforeAll
    static void start() {
        f = new AdminApiFixture(20, 20);
        f.group("acme");
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void aUserSeesThemselfWithTheirRolesAndNobodyElse() {
        String una = f.member("una", "acme", "maintainer", "read");
        f.member("ivo", null, null, "read");
        JsonObject me = expect(f.api.get("/api/v1/users/una", una), 200);
        assertThat(me.getString("username")).isEqualTo("una");
        assertThat(me.getJsonArray("groups")).containsExactly(new JsonObject().put("name", "acme")
                .put("role", "maintainer"));
        assertThat(f.api.get("/api/v1/users/ivo", una).status()).isEqualTo(404);
        assertThat(expect(f.api.get("/api/v1/users/ivo", ADMIN), 200).getJsonArray("groups")).isEmpty();
        assertThat(f.api.get("/api/v1/users/nobody", ADMIN).status()).isEqualTo(404);
    }

    @Test
    void theAdminChangesEmailAndAdminFlag() {
        String pia = f.member("pia", null, null, "read", "write", "admin");
        assertThat(f.api.patch("/api/v1/users/pia", pia, new JsonObject().put("admin", true)).status())
                .isEqualTo(403);
        JsonObject changed = expect(f.api.patch("/api/v1/users/pia", ADMIN, new JsonObject()
                .put("email", "pia@example.com").put("admin", true)), 200);
        assertThat(changed.getString("email")).isEqualTo("pia@example.com");
        assertThat(changed.getBoolean("admin")).isTrue();
        // The change applies to her next call: now she may list users.
        expect(f.api.get("/api/v1/users", pia), 200);
        JsonObject cleared = expect(f.api.patch("/api/v1/users/pia", ADMIN, new JsonObject().putNull("email")
                .put("admin", false)), 200);
        assertThat(cleared.getString("email")).isNull();
        assertThat(f.api.get("/api/v1/users", pia).status()).isEqualTo(403);

        Answer empty = f.api.patch("/api/v1/users/pia", ADMIN, new JsonObject());
        assertThat(empty.status()).isEqualTo(422);
        Answer unknown = f.api.patch("/api/v1/users/pia", ADMIN, new JsonObject().put("username", "renamed"));
        assertThat(unknown.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("username");
        assertThat(f.api.patch("/api/v1/users/nobody", ADMIN, new JsonObject().put("admin", true)).status())
                .isEqualTo(404);
    }

    @Test
    void theLastAdminStays() {
        Answer demoted = f.api.patch("/api/v1/users/admin", ADMIN, new JsonObject().put("admin", false));
        assertThat(demoted.status()).isEqualTo(409);
        assertThat(demoted.json().getString("detail")).contains("at least one admin");
        assertThat(f.api.delete("/api/v1/users/admin", ADMIN).status()).isEqualTo(409);
        expect(f.api.get("/api/v1/users", ADMIN), 200);
    }

    @Test
    void deletingAUserEndsTheirTokensAndSessionsButNeverOrphansAGroup() {
        String ola = f.member("ola", "acme", "owner", "read", "write");
        String session = expect(f.api.post("/api/v1/sessions", ola, null), 201).getString("accessToken");
        f.group("solo");
        expect(f.api.put("/api/v1/groups/solo/members/ola", ADMIN, new JsonObject().put("role", "owner")), 200);
        expect(f.api.delete("/api/v1/groups/solo/members/admin", ADMIN), 204);

        assertThat(f.api.delete("/api/v1/users/ola", ola).status()).isEqualTo(403);
        Answer soleOwner = f.api.delete("/api/v1/users/ola", ADMIN);
        assertThat(soleOwner.status()).isEqualTo(409);
        assertThat(soleOwner.json().getString("detail")).contains("only owner of solo").doesNotContain("acme");

        expect(f.api.put("/api/v1/groups/solo/members/admin", ADMIN, new JsonObject().put("role", "owner")), 200);
        expect(f.api.delete("/api/v1/users/ola", ADMIN), 204);
        assertThat(f.api.get("/api/v1/user", ola).status()).isEqualTo(401);
        assertThat(f.api.get("/api/v1/user", session).status()).isEqualTo(401);
        assertThat(f.api.get("/api/v1/users/ola", ADMIN).status()).isEqualTo(404);
        assertThat(f.api.delete("/api/v1/users/ola", ADMIN).status()).isEqualTo(404);
        assertThat(f.api.get("/api/v1/groups/acme/members", ADMIN).array().stream()
                .map(m -> ((JsonObject) m).getString("username"))).doesNotContain("ola");
    }
}
