package dev.vreg.host.pull;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MalformedEscapesTest {

    @Test
    void wellFormedEscapesAndPathsWithoutAnyPass() {
        assertThat(MalformedEscapes.in("/go/default/main/example.com/%21upper/@v/list")).isFalse();
        assertThat(MalformedEscapes.in("/go/default/main/example.com/m/@v/v2.0.0%2Bincompatible.info")).isFalse();
        assertThat(MalformedEscapes.in("/go/default/main/example.com/!upper/@v/list")).isFalse();
    }

    @Test
    void brokenEscapesAreFound() {
        assertThat(MalformedEscapes.in("/go/x/y/example.com/%zz/@v/list")).isTrue();
        assertThat(MalformedEscapes.in("/go/x/y/example.com/%2/@v/list")).isTrue();
        assertThat(MalformedEscapes.in("/go/x/y/example.com/m/@v/list%")).isTrue();
        assertThat(MalformedEscapes.in("/go/x/y/example.com/m%2")).isTrue();
    }
}
