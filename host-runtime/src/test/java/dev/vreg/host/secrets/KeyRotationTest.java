package dev.vreg.host.secrets;

import dev.vreg.host.identity.Sessions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.api.ApiClient;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.support.TestVreg;
import dev.vreg.spi.Credentials;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A key rotation as the README describes it: set a new {@code security.encryptionKey}, keep the old one under
 * {@code previousEncryptionKeys} for one start, and drop it afterwards. Nothing stored is lost on the way.
 */
class KeyRotationTest {

    static final String ADMIN = "vreg_rotation-admin-token-0123456789abcdefghijkl";

    static String newKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    static Row only(VregServer vreg, String sql) throws Exception {
        return vreg.pool().query(sql).execute().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                .iterator().next();
    }

    @Test
    void storedSecretsAreReEncryptedWithTheNewKeySoTheOldOneCanGo() throws Exception {
        String first = newKey();
        String second = newKey();
        Path dataDir = TestVreg.newDataDir();
        VregConfig config = TestVreg.config(dataDir, List.of("http://127.0.0.1:9"));
        config.auth.adminToken = ADMIN;
        JsonObject credentials = new JsonObject().put("username", "deploy").put("password", "rotate-me-please");
        JsonObject upstream = new JsonObject().put("kind", "goproxy").put("url", "https://private.example/rot")
                .put("credentials", credentials);
        String session;

        // No key configured: the embedded default generates one beside its database.
        String generated;
        try (VregServer vreg = TestVreg.start(config)) {
            ApiClient api = new ApiClient(vreg.baseUrl());
            session = api.post("/api/v1/sessions", ADMIN, null).json().getString("accessToken");
            Path keyFile = dataDir.resolve("encryption.key");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
            generated = Files.readString(keyFile).strip();
            assertThat(only(vreg, "SELECT encrypted FROM session_keys").getBoolean("encrypted")).isTrue();
            assertThat(api.post("/api/v1/groups/default/upstreams", ADMIN, upstream).status()).isEqualTo(201);
            assertThat(api.post("/api/v1/groups/default/webhooks", ADMIN, new JsonObject()
                    .put("url", "http://127.0.0.1:9/hook").put("events", new io.vertx.core.json.JsonArray()
                            .add("entries.deleted")).put("secret", "webhook-secret-to-rotate")).status())
                    .isEqualTo(201);
        }

        // Moving to an operator's key is a rotation from the generated one.
        config.security.encryptionKey = first;
        config.security.previousEncryptionKeys = List.of(generated);
        try (VregServer vreg = TestVreg.start(config)) {
            ApiClient api = new ApiClient(vreg.baseUrl());
            assertThat(CredentialCipher.fromConfig(first, null).orElseThrow().isCurrent(only(vreg,
                    "SELECT secret FROM session_keys").getBuffer("secret").getBytes())).isTrue();
            assertThat(api.get("/api/v1/user", session).status()).isEqualTo(200);
        }

        config.security.encryptionKey = second;
        config.security.previousEncryptionKeys = List.of(first);
        CredentialCipher current = CredentialCipher.fromConfig(second, null).orElseThrow();
        try (VregServer vreg = TestVreg.start(config)) {
            byte[] stored = only(vreg, "SELECT credentials FROM upstreams WHERE url = 'https://private.example/rot'")
                    .getBuffer("credentials").getBytes();
            assertThat(current.isCurrent(stored)).isTrue();
            assertThat(current.decrypt(stored)).isEqualTo(Credentials.basic("deploy", "rotate-me-please"));
            assertThat(current.isCurrent(only(vreg, "SELECT secret FROM session_keys").getBuffer("secret")
                    .getBytes())).isTrue();
            byte[] webhook = only(vreg, "SELECT secret FROM webhooks").getBuffer("secret").getBytes();
            assertThat(current.isCurrent(webhook)).isTrue();
            assertThat(new String(current.open(webhook), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("webhook-secret-to-rotate");
        }

        config.security.previousEncryptionKeys = null;
        try (VregServer vreg = TestVreg.start(config)) {
            ApiClient api = new ApiClient(vreg.baseUrl());
            // Sessions made before the rotation still verify, and the duplicate guard knows the rewritten digest.
            assertThat(api.get("/api/v1/user", session).status()).isEqualTo(200);
            ApiClient.Answer again = api.post("/api/v1/groups/default/upstreams", ADMIN, upstream);
            assertThat(again.status()).isEqualTo(409);
            assertThat(api.get("/api/v1/groups/default/upstreams", ADMIN).body()).doesNotContain("rotate-me-please");
        }
    }
}
