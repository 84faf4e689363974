package dev.vreg.goproxy.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Expected values are what Go's url.PathEscape returns for the same input. */
class GoPathEscaperTest {

    @Test
    void bangsArePercentEncodedAsTheGoCommandSendsThem() {
        assertThat(GoPathEscaper.escapePath("github.com/!burnt!sushi/toml/@v/v1.3.2.mod"))
                .isEqualTo("github.com/%21burnt%21sushi/toml/@v/v1.3.2.mod");
    }

    @Test
    void atPlusAndTildeStayLiteral() {
        assertThat(GoPathEscaper.escapePath("example.com/a~b/@v/v2.0.0+incompatible.info"))
                .isEqualTo("example.com/a~b/@v/v2.0.0+incompatible.info");
    }

    @Test
    void segmentsAreEscapedLikeUrlPathEscape() {
        Map<String, String> cases = Map.of(
                "abcXYZ019-_.~", "abcXYZ019-_.~",
                "$&+:=@", "$&+:=@",
                "a;b,c?d#e%f g", "a%3Bb%2Cc%3Fd%23e%25f%20g",
                "!*'()", "%21%2A%27%28%29",
                "a/b", "a%2Fb",
                "[x]<y>\"{z}|^`\\", "%5Bx%5D%3Cy%3E%22%7Bz%7D%7C%5E%60%5C",
                "\u00e9", "%C3%A9");
        cases.forEach((segment, escaped) ->
                assertThat(GoPathEscaper.escapeSegment(segment)).as(segment).isEqualTo(escaped));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/abs/@v/list", "trailing/", "a//b", "a/../b", "a/./b", "..", "a/b\nc", "a\u007f"})
    void pathsThatAreNotCleanAndRelativeAreRejected(String path) {
        assertThatThrownBy(() -> GoPathEscaper.escapePath(path)).isInstanceOf(IllegalArgumentException.class);
    }
}
