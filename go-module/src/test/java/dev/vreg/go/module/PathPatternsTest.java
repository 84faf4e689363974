package dev.vreg.go.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathPatternsTest {

    @ParameterizedTest(name = "[{0}] {1} -> {2}")
    @CsvSource({
        "'', corp.example/tools, false",
        "/, corp.example/tools, false",
        "corp.example, corp.example/tools, true",
        "corp.example/, corp.example/tools, true",
        "corp.example, corp.example/tools/v2, true",
        "corp, corp.example/tools, false",
        "corp*, corp.example/tools, true",
        "*.example, corp.example/tools, true",
        "*.example, corp.example, true",
        "*/tools, corp.example/tools, true",
        "*/tools, corp.example/tools/v2, true",
        "*/too, corp.example/tools, false",
        "*/too??, corp.example/tools, true",
        "*/too*, corp.example/tools, true",
        "*too*, corp.example/tools, false",
        "*/*/v2, corp.example/tools/v2, true",
        "*/v2, corp.example/tools/v2, false",
        "*/*/*, corp.example/tools, false",
        "*/*/*/, corp.example/tools/v2, true",
        "'other.example,corp.example', corp.example/tools, true",
        "',,*/tools', corp.example/tools, true",
        "'*/*/*,,', corp.example/tools, false",
        "corp.exampl[a-f], corp.example/tools, true",
        "corp.exampl[^a-f], corp.example/tools, false",
        "corp.exampl[, corp.example/tools, false",
        "'corp.exampl[,corp.example', corp.example/tools, true",
        "corp\\.example, corp.example/tools, true",
    })
    void matchesLeadingElements(String globs, String target, boolean want) {
        assertThat(PathPatterns.matchPrefixPatterns(globs, target)).isEqualTo(want);
    }

    @Test
    void globsFollowPathMatch() throws Exception {
        assertThat(Glob.match("a*", "abc")).isTrue();
        assertThat(Glob.match("a*", "ab/c")).isFalse();
        assertThat(Glob.match("a*/b", "abc/b")).isTrue();
        assertThat(Glob.match("a*b*c*d*e*/f", "axbxcxdxe/f")).isTrue();
        assertThat(Glob.match("a*b*c*d*e*/f", "axbxcxdxexxx/f")).isTrue();
        assertThat(Glob.match("a*b*c*d*e*/f", "axbxcxdxe/xxx/f")).isFalse();
        assertThat(Glob.match("a?b", "a/b")).isFalse();
        assertThat(Glob.match("a?b", "a\u00e9b")).isTrue();
        assertThat(Glob.match("[\u00e0-\u00ff]", "\u00e9")).isTrue();
        assertThat(Glob.match("[\\]a]", "]")).isTrue();
        assertThat(Glob.match("[\\-]", "-")).isTrue();
        assertThat(Glob.match("[x\\-]", "z")).isFalse();
        assertThat(Glob.match("\\*", "*")).isTrue();
        assertThat(Glob.match("", "")).isTrue();
        assertThat(Glob.match("", "a")).isFalse();
        assertThat(Glob.match("*", "")).isTrue();
    }

    @Test
    void malformedGlobsAreFoundWhateverTheyWouldMatch() {
        assertThat(PathPatterns.malformed("example.com/private,*.corp.example,,a/")).isEmpty();
        assertThat(PathPatterns.malformed("example.com/[")).contains("example.com/[");
        assertThat(PathPatterns.malformed("ok.example,*/[^/")).contains("*/[^");
        assertThat(PathPatterns.malformed("*[")).contains("*[");
        assertThat(PathPatterns.malformed("a\\")).contains("a\\");
        assertThat(PathPatterns.hasPattern("example.com")).isTrue();
        assertThat(PathPatterns.hasPattern("//")).isTrue();
        assertThat(PathPatterns.hasPattern("")).isFalse();
        assertThat(PathPatterns.hasPattern(",/,")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"[", "[^", "[^bc", "a[", "[]a]", "[-]", "[x-]", "[-x]", "\\", "[a-b-c]", "a*[", "x[a"})
    void malformedPatternsAreErrorsEvenWithoutAMatch(String pattern) {
        assertThatThrownBy(() -> Glob.match(pattern, "zzz")).isInstanceOf(Glob.BadPatternException.class);
    }
}
