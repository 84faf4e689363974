package dev.vreg.host.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vreg.host.secrets.CredentialCipher;
import dev.vreg.spi.ArtifactRequest;
import dev.vreg.spi.ConnectionReport;
import dev.vreg.spi.Credentials;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.PluginContext;
import dev.vreg.spi.UpstreamClient;
import dev.vreg.spi.UpstreamConfig;
import dev.vreg.spi.UpstreamPlugin;
import dev.vreg.spi.UpstreamResponse;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class UpstreamOpenerTest {

    private static final String PASSWORD = "pa55-w0rd-xyz";
    private static final String TOKEN = "t0ken-abc-123";

    private final CredentialCipher cipher = CredentialCipher.fromConfig(key(), null).orElseThrow();
    private final List<UpstreamConfig> opened = new ArrayList<>();

    /** What the fake plugin does when asked to open a configuration. */
    private Function<UpstreamConfig, UpstreamClient> behaviour = config -> client(
            Future.succeededFuture(new ConnectionReport(true, false, true, 1, "fine")));

    private final UpstreamPlugin plugin = new UpstreamPlugin() {
        @Override
        public String kind() {
            return "fake";
        }

        @Override
        public Set<String> formats() {
            return Set.of("go");
        }

        @Override
        public String settingsSchema() {
            return "{}";
        }

        @Override
        public UpstreamClient open(UpstreamConfig config, PluginContext context) {
            opened.add(config);
            return behaviour.apply(config);
        }
    };

    private UpstreamOpener opener(Optional<CredentialCipher> keys) {
        return new UpstreamOpener(null, kind -> kind.equals("fake") ? Optional.of(plugin) : Optional.empty(), keys,
                (allowPrivateNetwork, refused) -> null, Duration.ofSeconds(3), Duration.ofSeconds(7));
    }

    private StoredUpstream stored(Credentials credentials) {
        return new StoredUpstream(42, "mirror", "fake", "https://mirror.example/base",
                credentials == null ? null : cipher.encrypt(credentials), new JsonObject().put("a", 1));
    }

    @Test
    void opensWithTheDecryptedCredentialsSettingsAndTimeouts() {
        opener(Optional.of(cipher)).open(stored(Credentials.basic("deploy", PASSWORD)));

        assertThat(opened).hasSize(1);
        UpstreamConfig config = opened.get(0);
        assertThat(config.id()).isEqualTo("42");
        assertThat(config.kind()).isEqualTo("fake");
        assertThat(config.url()).hasToString("https://mirror.example/base");
        assertThat(config.credentials()).isEqualTo(Credentials.basic("deploy", PASSWORD));
        assertThat(config.settings()).isEqualTo(new JsonObject().put("a", 1));
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.readTimeout()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void aPluginThatQuotesTheCredentialsWhenRefusingHasThemHidden() {
        behaviour = config -> {
            throw VregException.invalid("cannot log in as deploy:" + config.credentials().password());
        };
        assertThatThrownBy(() -> opener(Optional.of(cipher)).open(stored(Credentials.basic("deploy", PASSWORD))))
                .isInstanceOfSatisfying(VregException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID))
                .hasMessage("cannot log in as deploy:****");

        behaviour = config -> {
            throw new IllegalArgumentException("bad token " + config.credentials().token());
        };
        assertThatThrownBy(() -> opener(Optional.of(cipher)).open(stored(Credentials.token(TOKEN))))
                .hasMessage("bad token ****").hasNoCause();
    }

    @Test
    void aMessageWithoutCredentialsIsPassedOnAsThrown() {
        VregException refusal = VregException.invalid("https is required");
        behaviour = config -> {
            throw refusal;
        };
        assertThatThrownBy(() -> opener(Optional.of(cipher)).open(stored(Credentials.token(TOKEN))))
                .isSameAs(refusal);
    }

    @Test
    void storedCredentialsThatCannotBeReadMakeTheUpstreamUnavailable() {
        StoredUpstream upstream = stored(Credentials.token(TOKEN));
        assertThatThrownBy(() -> opener(Optional.empty()).open(upstream))
                .isInstanceOfSatisfying(VregException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_UNAVAILABLE))
                .hasMessage("upstream mirror has credentials but no encryption key is configured");
        CredentialCipher other = CredentialCipher.fromConfig(key(), null).orElseThrow();
        assertThatThrownBy(() -> opener(Optional.of(other)).open(upstream))
                .isInstanceOfSatisfying(VregException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_UNAVAILABLE))
                .hasMessage("upstream mirror: its stored credentials cannot be decrypted with the configured keys");
        assertThat(opened).isEmpty();
    }

    @Test
    void aKindNoPluginProvidesMakesTheUpstreamUnavailable() {
        StoredUpstream upstream = new StoredUpstream(7, "gone", "athens", "https://athens.example", null,
                new JsonObject());
        assertThatThrownBy(() -> opener(Optional.of(cipher)).open(upstream))
                .isInstanceOfSatisfying(VregException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_UNAVAILABLE))
                .hasMessage("upstream gone is of kind 'athens', which no loaded plugin provides");
    }

    @Test
    void connectionTestReportsHideTheCredentialsAndTheClientIsClosed() {
        List<String> closed = new ArrayList<>();
        behaviour = config -> new UpstreamClient() {
            @Override
            public Future<UpstreamResponse> fetch(ArtifactRequest request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Future<ConnectionReport> testConnection() {
                return Future.succeededFuture(new ConnectionReport(true, true, false, 5,
                        "the upstream refused password " + config.credentials().password()));
            }

            @Override
            public void close() {
                closed.add(config.id());
            }
        };
        ConnectionReport report = opener(Optional.of(cipher)).test(stored(Credentials.basic("deploy", PASSWORD)),
                refused -> { }).await().report();
        assertThat(report.message()).isEqualTo("the upstream refused password ****");
        assertThat(report.reachable()).isTrue();
        assertThat(report.authenticated()).isFalse();
        assertThat(closed).containsExactly("42");

        behaviour = config -> client(Future.failedFuture(new IllegalStateException("no route for " + TOKEN)));
        report = opener(Optional.empty()).test("unsaved-test", "fake", "https://x.example", Credentials.token(TOKEN),
                null, false, refused -> { }).await().report();
        assertThat(report.message()).isEqualTo("the connection test failed: no route for ****");
        assertThat(report.ok()).isFalse();
    }

    @Test
    void everyConnectionTestFailureBecomesAReport() {
        assertThat(opener(Optional.empty()).test(stored(Credentials.token(TOKEN)), refused -> { }).await().report()
                .message()).isEqualTo("the credentials cannot be decrypted: no security.encryptionKey is configured");
        assertThat(opener(Optional.of(cipher)).test("t", "athens", "https://a.example", null, null, false,
                refused -> { }).await().report().message())
                .isEqualTo("no loaded plugin provides upstream kind athens");
        behaviour = config -> {
            throw VregException.invalid("token " + TOKEN + " is malformed");
        };
        assertThat(opener(Optional.empty()).test("t", "fake", "https://a.example", Credentials.token(TOKEN), null,
                false, refused -> { }).await().report().message()).isEqualTo("token **** is malformed");
    }

    @Test
    void theSettingsCheckAsksThePluginWithoutCredentials() {
        assertThat(opener(Optional.of(cipher)).refusal("fake", "https://a.example", new JsonObject())).isEmpty();
        assertThat(opened).singleElement().satisfies(config -> {
            assertThat(config.id()).isEqualTo("settings-check");
            assertThat(config.credentials()).isNull();
        });
        behaviour = config -> {
            throw VregException.invalid("settings.mode must be one of [a, b]");
        };
        assertThat(opener(Optional.of(cipher)).refusal("fake", "https://a.example", new JsonObject()))
                .contains("settings.mode must be one of [a, b]");
        behaviour = config -> {
            throw new NullPointerException();
        };
        assertThat(opener(Optional.of(cipher)).refusal("fake", "https://a.example", new JsonObject()))
                .contains("the fake plugin does not accept this configuration");
    }

    private static UpstreamClient client(Future<ConnectionReport> report) {
        return new UpstreamClient() {
            @Override
            public Future<UpstreamResponse> fetch(ArtifactRequest request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Future<ConnectionReport> testConnection() {
                return report;
            }

            @Override
            public void close() {
            }
        };
    }

    private static String key() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
