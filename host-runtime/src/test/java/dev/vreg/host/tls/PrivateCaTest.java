package dev.vreg.host.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default's CA: made once, reused, its server certificate renewed near its end or for new names. */
class PrivateCaTest {

    static final Set<String> NAMES = Set.of("localhost", "127.0.0.1", "::1");
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    @TempDir
    Path dir;

    static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    @Test
    void theFirstStartMakesACaAndAServerCertificateCoveringLoopbackWithOwnerOnlyKeys() throws Exception {
        PrivateCa ca = PrivateCa.loadOrCreate(dir, NAMES, at(NOW));
        X509Certificate server = ca.server().certificate();
        server.verify(ca.caCertificate().getPublicKey());
        assertThat(ca.caCertificate().getBasicConstraints()).isEqualTo(0);
        assertThat(server.getBasicConstraints()).isEqualTo(-1);
        assertThat(server.getSubjectAlternativeNames()).extracting(entry -> String.valueOf(entry.get(1)))
                .contains("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(ca.server().chain()).hasSize(2);
        assertThat(ca.caFile()).isEqualTo(dir.resolve("ca.pem"));
        for (String key : List.of("ca.key", "server.key")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(key))))
                    .as(key).isEqualTo("rw-------");
        }
        assertThat(Files.readString(dir.resolve("ca.pem"))).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Files.list(dir)).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrder("ca.pem", "ca.key", "server.pem", "server.key");
    }

    @Test
    void aLaterStartReusesBothAndANewNameGetsANewServerCertificateFromTheSameCa() throws Exception {
        PrivateCa.loadOrCreate(dir, NAMES, at(NOW));
        String ca = Files.readString(dir.resolve("ca.pem"));
        String server = Files.readString(dir.resolve("server.pem"));
        PrivateCa.loadOrCreate(dir, NAMES, at(NOW.plus(Duration.ofDays(100))));
        assertThat(Files.readString(dir.resolve("ca.pem"))).isEqualTo(ca);
        assertThat(Files.readString(dir.resolve("server.pem"))).isEqualTo(server);

        PrivateCa renamed = PrivateCa.loadOrCreate(dir, Set.of("localhost", "vreg.internal.example"), at(NOW));
        assertThat(Files.readString(dir.resolve("ca.pem"))).isEqualTo(ca);
        assertThat(Files.readString(dir.resolve("server.pem"))).isNotEqualTo(server);
        assertThat(renamed.server().certificate().getSubjectAlternativeNames())
                .extracting(entry -> String.valueOf(entry.get(1))).contains("vreg.internal.example");
    }

    @Test
    void aServerCertificateNearItsEndIsRenewedAndAnUnreadableCaIsMadeAgain() throws Exception {
        PrivateCa first = PrivateCa.loadOrCreate(dir, NAMES, at(NOW));
        Instant end = first.server().certificate().getNotAfter().toInstant();
        PrivateCa renewed = PrivateCa.loadOrCreate(dir, NAMES, at(end.minus(Duration.ofDays(10))));
        assertThat(renewed.caCertificate()).isEqualTo(first.caCertificate());
        assertThat(renewed.server().certificate().getNotAfter().toInstant()).isAfter(end);

        Files.writeString(dir.resolve("ca.key"), "damaged\n");
        PrivateCa remade = PrivateCa.loadOrCreate(dir, NAMES, at(NOW));
        assertThat(remade.caCertificate()).isNotEqualTo(first.caCertificate());
        remade.server().certificate().verify(remade.caCertificate().getPublicKey());
    }
}
