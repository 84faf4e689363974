package dev.vreg.testkit.go;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PercentDecodingTest {

    @Test
    void percentDecodingKeepsPlusAndDecodesBangs() {
        assertThat(PercentDecoding.decode("/example.com/%21upper/@v/v2.0.0+incompatible.zip"))
                .isEqualTo("/example.com/!upper/@v/v2.0.0+incompatible.zip");
        assertThat(PercentDecoding.decode("/a%2Fb%2fc")).isEqualTo("/a/b/c");
        assertThat(PercentDecoding.decode("/caf%C3%A9")).isEqualTo("/café");
        assertThat(PercentDecoding.decode("/plain")).isEqualTo("/plain");
    }

    @Test
    void percentDecodingRejectsMalformedEscapes() {
        assertThatThrownBy(() -> PercentDecoding.decode("/a%2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PercentDecoding.decode("/a%zz")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PercentDecoding.decode("/a%ff")).isInstanceOf(IllegalArgumentException.class);
    }
}
