package dev.vreg.host.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vreg.host.db.BatchedWriter;
import dev.vreg.host.VregServer;
import dev.vreg.host.support.TestVreg;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The token store on a real database: what a created token is (its value generated or chosen, only its hash kept,
 * its scopes and expiry), how it is found for authentication, listed and revoked.
 */
@Timeout(120)
class TokenStoreTest {

    private static final String ADMIN = "vreg_token-store-test-admin-0123456789abcdef";

    private static VregServer vreg;
    private static TokenStore tokens;
    private static UserStore users;
    private static GroupStore groups;

    @BeforeAll
    static void start() throws Exception {
        var config = TestVreg.config(TestVreg.newDataDir(), List.of("http://127.0.0.1:9"));
        config.auth.adminToken = ADMIN;
        vreg = TestVreg.start(config);
        tokens = new TokenStore(vreg.pool());
        users = new UserStore(vreg.pool());
        groups = new GroupStore(vreg.pool());
        await(users.create("tess", null, false));
        await(users.create("tobi", null, false));
        await(users.create("ivy", null, true));
    }

    @AfterAll
    static void stop() {
        if (vreg != null) {
            vreg.close();
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static Row tokenRow(long id) throws Exception {
        var rows = await(vreg.pool().preparedQuery("SELECT * FROM tokens WHERE id = $1").execute(Tuple.of(id)));
        return rows.size() == 0 ? null : rows.iterator().next();
    }

    @Test
    void aPersonalTokenIsGeneratedKeptOnlyAsItsHashAndFoundByIt() throws Exception {
        Instant expires = Instant.now().plus(Duration.ofDays(7)).truncatedTo(ChronoUnit.SECONDS);
        TokenStore.Issued issued = await(tokens.createPersonal("tess", "laptop",
                List.of(Scope.WRITE, Scope.READ, Scope.WRITE), expires)).orElseThrow();

        assertThat(issued.token()).matches("vreg_[A-Za-z0-9_-]{43}");
        assertThat(issued.info().kind()).isEqualTo("personal");
        assertThat(issued.info().name()).isEqualTo("laptop");
        assertThat(issued.info().scopes()).containsExactly("write", "read");
        assertThat(issued.info().expiresAt()).isEqualTo(expires);
        assertThat(issued.info().lastUsedAt()).isNull();
        assertThat(issued.info().createdAt()).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));

        Row row = tokenRow(issued.info().id());
        assertThat(row.getString("hash")).isEqualTo(Tokens.hash(issued.token()));
        for (int i = 0; i < row.size(); i++) {
            assertThat(String.valueOf(row.getValue(i))).doesNotContain(issued.token());
        }

        Principal principal = await(tokens.findByHash(Tokens.hash(issued.token()))).orElseThrow();
        assertThat(principal.tokenId()).isEqualTo(issued.info().id());
        assertThat(principal.username()).isEqualTo("tess");
        assertThat(principal.deploy()).isFalse();
        assertThat(principal.admin()).isFalse();
        assertThat(principal.scopes()).containsExactlyInAnyOrder(Scope.READ, Scope.WRITE);
        assertThat(principal.expiresAt()).isEqualTo(expires);
        assertThat(await(tokens.findById(issued.info().id()))).contains(principal);
        assertThat(await(tokens.findByHash(Tokens.hash(issued.token() + "x")))).isEmpty();
    }

    @Test
    void withoutScopesAUserGetsTheirDefaultAndAnUnknownUserNoToken() throws Exception {
        assertThat(await(tokens.createPersonal("tess", "default", null, null)).orElseThrow().info().scopes())
                .containsExactly("read", "write");
        TokenStore.Issued admins = await(tokens.createPersonal("ivy", "default", null, null)).orElseThrow();
        assertThat(admins.info().scopes()).containsExactly("read", "write", "admin");
        assertThat(admins.info().expiresAt()).isNull();

        assertThat(await(tokens.createPersonal("nobody", "cli", null, null))).isEmpty();
        assertThat(await(tokens.createPersonal("nobody", "cli", List.of(Scope.READ), null))).isEmpty();
        assertThat(await(vreg.pool().query("SELECT count(*) FROM tokens WHERE user_id IS NULL AND group_id IS NULL")
                .execute()).iterator().next().getLong(0)).isZero();
    }

    @Test
    void aChosenValueIsStoredInTheTransactionThatMadeItsUserAndAWeakOneIsRefused() throws Exception {
        String chosen = "vreg_chosen-by-the-operator-0123456789abcdef";
        TokenStore.Issued issued = await(vreg.pool().withTransaction(conn -> users.ensureAdmin(conn, "root-ops")
                .compose(v -> tokens.createPersonal(conn, "root-ops", "bootstrap", TokenStore.ADMIN_DEFAULT,
                        null, chosen)))).orElseThrow();
        assertThat(issued.token()).isEqualTo(chosen);
        Principal principal = await(tokens.findByHash(Tokens.hash(chosen))).orElseThrow();
        assertThat(principal.username()).isEqualTo("root-ops");
        assertThat(principal.admin()).isTrue();
        assertThat(principal.scopes()).containsExactlyInAnyOrder(Scope.values());

        assertThatThrownBy(() -> await(tokens.createPersonal(vreg.pool(), "tess", "weak", null, null, "short")))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> await(tokens.createPersonal("tess", "none", List.of(), null)))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anExpiredTokenIsStillFoundButNoLongerAuthenticates() throws Exception {
        Instant soon = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        TokenStore.Issued issued = await(tokens.createPersonal("tobi", "short-lived", List.of(Scope.READ), soon))
                .orElseThrow();
        Principal principal = await(tokens.findByHash(Tokens.hash(issued.token()))).orElseThrow();
        assertThat(principal.expired(soon.minusSeconds(1))).isFalse();
        assertThat(principal.expired(soon)).isTrue();

        BatchedWriter<Long, Instant> lastUsed = BatchedWriter.start(vreg.vertx(),
                new BatchedWriter.Settings("token last use", Duration.ofMinutes(1), 1_000),
                (older, newer) -> newer.isAfter(older) ? newer : older, tokens::touch);
        try {
            Authenticator before = new Authenticator(tokens, null, lastUsed,
                    Clock.fixed(soon.minusSeconds(1), java.time.ZoneOffset.UTC), Duration.ofMinutes(1));
            assertThat(await(before.authenticate("Bearer " + issued.token()))).isPresent();
            Authenticator after = new Authenticator(tokens, null, lastUsed,
                    Clock.fixed(soon, java.time.ZoneOffset.UTC), Duration.ofMinutes(1));
            assertThat(await(after.authenticate("Bearer " + issued.token()))).isEmpty();
        } finally {
            lastUsed.close();
        }
    }

    @Test
    void personalTokensAreListedWithoutValueAndRevokedOnlyByTheirUserOrByIdAlone() throws Exception {
        await(users.create("lena", null, false));
        assertThat(await(tokens.listPersonal("lena"))).contains(List.of());
        assertThat(await(tokens.listPersonal("nobody"))).isEmpty();

        TokenStore.Issued first = await(tokens.createPersonal("lena", "one", List.of(Scope.READ), null))
                .orElseThrow();
        TokenStore.Issued second = await(tokens.createPersonal("lena", "two", List.of(Scope.READ), null))
                .orElseThrow();
        assertThat(await(tokens.listPersonal("lena")).orElseThrow()).containsExactly(first.info(), second.info());

        assertThat(await(tokens.revokePersonal("tess", first.info().id()))).isFalse();
        assertThat(await(tokens.revokePersonal("lena", first.info().id()))).isTrue();
        assertThat(await(tokens.revokePersonal("lena", first.info().id()))).isFalse();
        assertThat(await(tokens.findByHash(Tokens.hash(first.token())))).isEmpty();

        assertThat(await(tokens.revokePersonal(second.info().id())))
                .contains(new TokenStore.Revoked(second.info().id(), "two", "lena"));
        assertThat(await(tokens.revokePersonal(second.info().id()))).isEmpty();
        assertThat(await(tokens.listPersonal("lena"))).contains(List.of());
    }

    @Test
    void deployTokensOnlyReadTheirGroupAndAreRevokedThroughIt() throws Exception {
        long acme = await(groups.ensure(vreg.pool(), "token-store-acme"));
        long other = await(groups.ensure(vreg.pool(), "token-store-other"));
        Instant expires = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        TokenStore.Issued issued = await(tokens.createDeploy(acme, "ci", expires));
        assertThat(issued.token()).startsWith(Tokens.PREFIX);
        assertThat(issued.info().kind()).isEqualTo("deploy");
        assertThat(issued.info().scopes()).containsExactly("read");
        assertThat(issued.info().expiresAt()).isEqualTo(expires);
        assertThat(await(tokens.listDeploy(acme))).containsExactly(issued.info());
        assertThat(await(tokens.listDeploy(other))).isEmpty();

        Principal principal = await(tokens.findByHash(Tokens.hash(issued.token()))).orElseThrow();
        assertThat(principal.deploy()).isTrue();
        assertThat(principal.deployGroup()).isEqualTo("token-store-acme");
        assertThat(principal.userId()).isNull();

        // A deploy token is not a personal one, whatever its id.
        assertThat(await(tokens.revokePersonal(issued.info().id()))).isEmpty();
        assertThat(await(tokens.revokeDeploy(other, issued.info().id()))).isFalse();
        assertThat(await(tokens.revokeDeploy(acme, issued.info().id()))).isTrue();
        assertThat(await(tokens.findByHash(Tokens.hash(issued.token())))).isEmpty();
    }

    @Test
    void lastUseOnlyMovesForward() throws Exception {
        long id = await(tokens.createPersonal("tobi", "touched", List.of(Scope.READ), null)).orElseThrow()
                .info().id();
        Instant later = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        await(tokens.touch(Map.of(id, later)));
        await(tokens.touch(Map.of(id, later.minusSeconds(60))));
        await(tokens.touch(Map.of()));
        Optional<TokenStore.TokenInfo> listed = await(tokens.listPersonal("tobi")).orElseThrow().stream()
                .filter(t -> t.id() == id).findFirst();
        assertThat(listed.orElseThrow().lastUsedAt()).isEqualTo(later);
    }
}
