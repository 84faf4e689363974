package dev.vreg.host.tls;

import dev.vreg.host.config.ConfigException;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.http.HttpVerticle;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PfxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Where HTTPS is served and with which key material, decided once at start from {@code http.tls}: the listener of
 * {@code http.port} itself (key material, no {@code http.tls.port}), a second listener beside plain HTTP
 * ({@code http.tls.port}), or, on the embedded default without key material, a second listener with the certificate
 * of vreg's own private CA. Reads files, so it runs off the event loop.
 *
 * @param main     the key material of the {@code http.port} listener; null for plain HTTP
 * @param port     the port of the second, HTTPS-only listener; null for none
 * @param second   the key material of the second listener
 * @param caFile   the generated CA certificate clients trust ({@code SSL_CERT_FILE}); null unless generated
 */
public record HttpsSetup(KeyCertOptions main, Integer port, KeyCertOptions second, Path caFile) {

    public static final String TLS_DIR = "tls";

    public static HttpsSetup prepare(VregConfig config, Path dataDir, boolean embeddedDatabase, Clock clock) {
        VregConfig.Tls tls = config.http.tls;
        if (tls.configured()) {
            KeyCertOptions material = configured(tls);
            return tls.port == null ? new HttpsSetup(material, null, null, null)
                    : new HttpsSetup(null, tls.port, material, null);
        }
        boolean generate = tls.generate != null ? tls.generate : embeddedDatabase;
        if (!generate) {
            return new HttpsSetup(null, null, null, null);
        }
        PrivateCa ca = PrivateCa.loadOrCreate(dataDir.resolve(TLS_DIR), PrivateCa.serverNames(config), clock);
        return new HttpsSetup(null, tls.port != null ? tls.port : VregConfig.Tls.DEFAULT_PORT,
                ca.server().options(), ca.caFile());
    }

    /** The services of {@code plain} for a listener on {@code port} that serves HTTPS with {@code material}. */
    public static HttpVerticle.Services listener(HttpVerticle.Services plain, int port, KeyCertOptions material) {
        return plain.listeningOn(port, material);
    }

    private static KeyCertOptions configured(VregConfig.Tls tls) {
        if (tls.keyStore != null) {
            if (!Files.isReadable(tls.keyStore)) {
                throw new ConfigException("the key store " + tls.keyStore + " (http.tls.keyStore) cannot be read");
            }
            return new PfxOptions().setPath(tls.keyStore.toAbsolutePath().toString())
                    .setPassword(tls.keyStorePassword);
        }
        return PemKeyMaterial.read(tls.certificate, tls.privateKey).options();
    }
}
