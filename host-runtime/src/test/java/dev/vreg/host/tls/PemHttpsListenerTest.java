package dev.vreg.host.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vreg.host.VregServer;
import dev.vreg.host.config.ConfigException;
import dev.vreg.host.config.ConfigLoader;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.support.TestVreg;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS from PEM files, as a second listener beside plain HTTP; files that cannot serve stop the start with a
 * message naming them, and the settings come from the environment as well as the file.
 */
class PemHttpsListenerTest {

    @TempDir
    Path dir;

    @Test
    void aSecondListenerServesHttpsFromPemFilesBesidePlainHttp() throws Exception {
        PrivateCa ca = PrivateCa.loadOrCreate(dir.resolve("ca"), java.util.Set.of("127.0.0.1"),
                java.time.Clock.systemUTC());
        VregConfig config = TestVreg.config(TestVreg.newDataDir(), List.of("http://127.0.0.1:9"));
        config.http.tls.certificate = dir.resolve("ca/server.pem");
        config.http.tls.privateKey = dir.resolve("ca/server.key");
        config.http.tls.port = TestVreg.freePort();
        try (VregServer vreg = TestVreg.start(config)) {
            assertThat(vreg.baseUrl()).startsWith("http://");
            assertThat(vreg.httpsBaseUrl()).isEqualTo("https://127.0.0.1:" + config.http.tls.port);
            assertThat(vreg.caFile()).isNull();
            HttpClient https = HttpClient.newBuilder().sslContext(trusting(ca.caFile())).build();
            HttpResponse<String> secure = https.send(HttpRequest.newBuilder(
                    URI.create(vreg.httpsBaseUrl() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(secure.body()).isEqualTo("ok\n");
            HttpResponse<String> plain = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(vreg.baseUrl() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(plain.body()).isEqualTo("ok\n");
        }
    }

    @Test
    void aKeyOfAnotherCertificateStopsTheStartNamingBothFiles() throws Exception {
        PrivateCa.loadOrCreate(dir.resolve("one"), java.util.Set.of("127.0.0.1"), java.time.Clock.systemUTC());
        PrivateCa.loadOrCreate(dir.resolve("two"), java.util.Set.of("127.0.0.1"), java.time.Clock.systemUTC());
        VregConfig config = TestVreg.config(TestVreg.newDataDir(), List.of("http://127.0.0.1:9"));
        config.http.tls.certificate = dir.resolve("one/server.pem");
        config.http.tls.privateKey = dir.resolve("two/server.key");
        assertThatThrownBy(() -> VregServer.start(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("two/server.key does not belong to the certificate in")
                .hasMessageContaining("one/server.pem");
    }

    @Test
    void theEnvironmentSetsThePemFilesAndThePortAndHalfASetupIsRefused() {
        VregConfig config = new ConfigLoader(Map.of("VREG_TLS_CERTIFICATE", "/etc/vreg/chain.pem",
                "VREG_TLS_PRIVATE_KEY", "/etc/vreg/key.pem", "VREG_TLS_PORT", "8443")).load(null);
        assertThat(config.http.tls.certificate).isEqualTo(Path.of("/etc/vreg/chain.pem"));
        assertThat(config.http.tls.privateKey).isEqualTo(Path.of("/etc/vreg/key.pem"));
        assertThat(config.http.tls.port).isEqualTo(8443);
        assertThat(config.http.tls.enabled()).isFalse();
        assertThatThrownBy(() -> new ConfigLoader(Map.of("VREG_TLS_CERTIFICATE", "/etc/vreg/chain.pem")).load(null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("are set together");
        assertThatThrownBy(() -> new ConfigLoader(Map.of("VREG_TLS_CERTIFICATE", "/a", "VREG_TLS_PRIVATE_KEY", "/b",
                "VREG_TLS_KEYSTORE", "/c")).load(null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not both");
        assertThatThrownBy(() -> new ConfigLoader(Map.of("VREG_TLS_GENERATE", "maybe")).load(null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("VREG_TLS_GENERATE must be true or false");
    }

    static SSLContext trusting(Path caFile) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
