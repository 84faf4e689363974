package dev.vreg.host.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vreg.host.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key files as openssl writes them: every accepted form loads, every broken setup is refused naming the file. */
class PemKeyMaterialTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void keys() throws Exception {
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ec-pkcs8.key");
        openssl("ec", "-in", "ec-pkcs8.key", "-out", "ec-sec1.key");
        openssl("genrsa", "-traditional", "-out", "rsa-pkcs1.key", "2048");
        openssl("pkcs8", "-topk8", "-nocrypt", "-in", "rsa-pkcs1.key", "-out", "rsa-pkcs8.key");
        openssl("pkcs8", "-topk8", "-in", "ec-pkcs8.key", "-passout", "pass:secret", "-out", "encrypted.key");
        certificate("ec-pkcs8.key", "ec.pem");
        certificate("rsa-pkcs1.key", "rsa.pem");
    }

    static void certificate(String key, String out) throws Exception {
        openssl("req", "-new", "-x509", "-key", key, "-subj", "/CN=127.0.0.1", "-days", "2",
                "-addext", "subjectAltName=IP:127.0.0.1", "-out", out);
    }

    static void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    @Test
    void pkcs8Pkcs1AndSec1KeysLoadWithTheirCertificates() {
        assertThat(Files.exists(dir.resolve("ec-sec1.key"))).isTrue();
        for (String[] pair : new String[][] {{"ec.pem", "ec-pkcs8.key"}, {"ec.pem", "ec-sec1.key"},
                {"rsa.pem", "rsa-pkcs1.key"}, {"rsa.pem", "rsa-pkcs8.key"}}) {
            PemKeyMaterial material = PemKeyMaterial.read(dir.resolve(pair[0]), dir.resolve(pair[1]));
            assertThat(material.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=127.0.0.1");
            assertThat(material.options().getKeyValue().toString()).startsWith("-----BEGIN PRIVATE KEY-----");
        }
    }

    @Test
    void aChainKeepsItsOrder() throws Exception {
        Path chain = dir.resolve("chain.pem");
        Files.writeString(chain, Files.readString(dir.resolve("ec.pem")) + Files.readString(dir.resolve("rsa.pem")));
        PemKeyMaterial material = PemKeyMaterial.read(chain, dir.resolve("ec-pkcs8.key"));
        assertThat(material.chain()).hasSize(2);
        assertThat(material.certificate().getPublicKey().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() {
        assertThatThrownBy(() -> PemKeyMaterial.read(dir.resolve("ec.pem"), dir.resolve("rsa-pkcs8.key")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("rsa-pkcs8.key does not belong to the certificate in")
                .hasMessageContaining("ec.pem");
        Path otherEc = dir.resolve("other-ec.key");
        assertThatThrownBy(() -> {
            openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "other-ec.key");
            PemKeyMaterial.read(dir.resolve("ec.pem"), otherEc);
        }).isInstanceOf(ConfigException.class).hasMessageContaining("does not belong");
    }

    @Test
    void missingSwappedEncryptedOrEmptyFilesAreRefusedNamingTheFile() throws Exception {
        assertThatThrownBy(() -> PemKeyMaterial.read(dir.resolve("absent.pem"), dir.resolve("ec-pkcs8.key")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("absent.pem does not exist");
        assertThatThrownBy(() -> PemKeyMaterial.read(dir.resolve("ec-pkcs8.key"), dir.resolve("ec.pem")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ec-pkcs8.key holds a").hasMessageContaining("where a certificate was expected");
        assertThatThrownBy(() -> PemKeyMaterial.read(dir.resolve("ec.pem"), dir.resolve("encrypted.key")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("encrypted.key is encrypted");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "not a pem file\n");
        assertThatThrownBy(() -> PemKeyMaterial.read(empty, dir.resolve("ec-pkcs8.key")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("holds no PEM certificate");
        assertThatThrownBy(() -> PemKeyMaterial.read(dir.resolve("ec.pem"), empty))
                .isInstanceOf(ConfigException.class).hasMessageContaining("holds no PEM private key");
    }
}
