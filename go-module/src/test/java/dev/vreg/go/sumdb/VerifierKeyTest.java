package dev.vreg.go.sumdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VerifierKeyTest {

    @Test
    void readsTheGoCommandsBuiltInKey() throws Exception {
        VerifierKey key = VerifierKey.parse(VerifierKey.SUM_GOLANG_ORG);
        assertThat(key.name()).isEqualTo("sum.golang.org");
        assertThat(String.format("%08x", key.hash())).isEqualTo("033de0ae");
        assertThat(key).hasToString(VerifierKey.SUM_GOLANG_ORG);
    }

    @Test
    void readsANameWithAPath() throws Exception {
        // The key of cmd/go's own test database (cmd/go/proxy_test.go testSumDBVerifierKey).
        VerifierKey key = VerifierKey.parse("localhost.localdev/sumdb+00000c67+AcTrnkbUA+TU4heY3hkjiSES/DSQniBqIeQ/YppAUtK6");
        assertThat(key.name()).isEqualTo("localhost.localdev/sumdb");
        // One character short, the key no longer matches its hash.
        assertThatThrownBy(() -> VerifierKey.parse(
                "localhost.localdev/sumdb+00000c67+AcTrnkbUA+TU4heY3hkjiSES/DSQniBqIeQ/YppAUtK"))
                .isInstanceOf(SumdbException.class);
    }

    @Test
    void refusesAHashThatDoesNotMatchNameAndKey() {
        assertThatThrownBy(() -> VerifierKey.parse("sum.golang.org+033de0af+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"))
                .hasMessageContaining("hash does not match");
        assertThatThrownBy(() -> VerifierKey.parse("sum.golang.com+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"))
                .hasMessageContaining("hash does not match");
    }

    @Test
    void refusesMalformedKeys() {
        for (String bad : new String[] {"sum.golang.org", "sum.golang.org+033de0ae", "+033de0ae+AAAA",
            "sum golang+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8", "sum.golang.org+33de0ae+AAAA",
            "sum.golang.org+033de0ae+!!!!"}) {
            assertThatThrownBy(() -> VerifierKey.parse(bad)).as(bad).isInstanceOf(SumdbException.class);
        }
    }

    @Test
    void refusesAnUnknownAlgorithmAndAShortKey() throws Exception {
        byte[] unknown = new byte[33];
        unknown[0] = 2;
        String b64 = java.util.Base64.getEncoder().encodeToString(unknown);
        String withHash = "x.example+" + String.format("%08x", VerifierKey.keyHash("x.example", unknown)) + "+" + b64;
        assertThatThrownBy(() -> VerifierKey.parse(withHash)).hasMessageContaining("unknown verifier algorithm 2");
        byte[] shortKey = new byte[20];
        shortKey[0] = 1;
        String s = "x.example+" + String.format("%08x", VerifierKey.keyHash("x.example", shortKey)) + "+"
                + java.util.Base64.getEncoder().encodeToString(shortKey);
        assertThatThrownBy(() -> VerifierKey.parse(s)).hasMessageContaining("32 bytes");
    }
}
