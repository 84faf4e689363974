package dev.vreg.host.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vreg.host.config.ConfigException;
import dev.vreg.spi.Credentials;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CredentialCipherTest {

    static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    @Test
    void encryptsSoThePlaintextIsNotInTheStoredValueAndDecryptsBack() {
        CredentialCipher cipher = CredentialCipher.fromConfig(newKey(), null).orElseThrow();
        Credentials basic = Credentials.basic("deploy", "s3cret-password");
        byte[] stored = cipher.encrypt(basic);
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("s3cret-password");
        assertThat(cipher.decrypt(stored)).isEqualTo(basic);
        assertThat(cipher.encrypt(basic)).isNotEqualTo(stored);
        assertThat(cipher.decrypt(cipher.encrypt(Credentials.token("t0ken")))).isEqualTo(Credentials.token("t0ken"));
    }

    @Test
    void digestsAreEqualForEqualCredentialsOnly() {
        CredentialCipher cipher = CredentialCipher.fromConfig(newKey(), null).orElseThrow();
        assertThat(cipher.digest(Credentials.basic("a", "b"))).isEqualTo(cipher.digest(Credentials.basic("a", "b")))
                .isNotEqualTo(cipher.digest(Credentials.basic("a", "c"))).hasSize(64);
    }

    @Test
    void afterARotationValuesWrittenWithThePreviousKeyStillDecrypt() {
        String oldKey = newKey();
        byte[] written = CredentialCipher.fromConfig(oldKey, null).orElseThrow().encrypt(Credentials.token("x"));
        CredentialCipher rotated = CredentialCipher.fromConfig(newKey(), List.of(oldKey)).orElseThrow();
        assertThat(rotated.decrypt(written)).isEqualTo(Credentials.token("x"));
        CredentialCipher forgotten = CredentialCipher.fromConfig(newKey(), null).orElseThrow();
        assertThatThrownBy(() -> forgotten.decrypt(written)).hasMessageContaining("not configured");
        byte[] tampered = rotated.encrypt(Credentials.token("x"));
        tampered[tampered.length - 1] ^= 1;
        assertThatThrownBy(() -> rotated.decrypt(tampered)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aBadKeyIsAConfigurationErrorThatDoesNotQuoteIt() {
        assertThat(CredentialCipher.fromConfig(null, null)).isEqualTo(Optional.empty());
        assertThatThrownBy(() -> CredentialCipher.fromConfig("c2hvcnQta2V5LXZhbHVl", null))
                .isInstanceOf(ConfigException.class).message().doesNotContain("c2hvcnQta2V5LXZhbHVl");
    }
}
