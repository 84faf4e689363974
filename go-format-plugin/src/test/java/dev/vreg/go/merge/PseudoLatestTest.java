package dev.vreg.go.merge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PseudoLatestTest {

    private static byte[] list(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void picksTheNewestServablePseudoVersionAcrossLists() {
        var info = PseudoLatest.derive("example.com/m", List.of(
                list("v0.0.0-20240101000000-aaaaaaaaaaaa\nv1.0.0\n"),
                list("v0.0.0-20240301000000-bbbbbbbbbbbb 2024-03-01T00:00:00Z\n"
                        + "v2.0.0-20250101000000-cccccccccccc\n")));
        assertThat(info).map(b -> new String(b, StandardCharsets.UTF_8))
                .contains("{\"Version\":\"v0.0.0-20240301000000-bbbbbbbbbbbb\",\"Time\":\"2024-03-01T00:00:00Z\"}");
    }

    @Test
    void findsNothingWithoutPseudoVersions() {
        assertThat(PseudoLatest.derive("example.com/m", List.of(list("v1.0.0\nv1.1.0-rc.1\n"), list(""))))
                .isEmpty();
    }

    @Test
    void ignoresPseudoVersionsOfAnotherMajorVersion() {
        assertThat(PseudoLatest.derive("example.com/m/v2", List.of(list("v0.0.0-20240101000000-aaaaaaaaaaaa\n"))))
                .isEmpty();
    }
}
