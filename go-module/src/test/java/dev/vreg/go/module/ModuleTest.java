package dev.vreg.go.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModuleTest {

    @ParameterizedTest(name = "{0}@{1} -> {2}")
    @CsvSource({
        "example.org/m, v0.3.0, true",
        "example.org/m, v1.9.9, true",
        "example.org/m, v2.0.0, false",
        "example.org/m, v4.1.0, false",
        "example.org/m, v4.1.0+incompatible, true",
        "example.org/m, v1.0, true",
        "example.org/m, 1.0.0, false",
        "example.org/m, master, false",
        "example.org/m/v2, v2.0.0, true",
        "example.org/m/v2, v2.3.4-pre, true",
        "example.org/m/v2, v1.0.0, false",
        "example.org/m/v2, v3.0.0, false",
        "example.org/m/v2, v2.0.0+incompatible, true",
        "example.org/m/v3, v2.0.0, false",
        "gopkg.in/m.v0, v0.4.0, true",
        "gopkg.in/m.v0, v1.0.0, false",
        "gopkg.in/m.v1, v1.2.0, true",
        "gopkg.in/m.v1, v0.2.0, false",
        "gopkg.in/m.v1, v0.0.0, false",
        "gopkg.in/m.v1, v0.0.0-20180102030405-abcdefabcdef, true",
        "gopkg.in/m.v2, v2.2.0, true",
        "gopkg.in/m.v2, v1.2.0, false",
        "gopkg.in/m.v2, v3.0.0, false",
        "gopkg.in/m.v2-unstable, v2.0.0, true",
        "gopkg.in/m.v2-unstable, v1.0.0, false",
        "example.org/m/v1, v1.0.0, false",
        "example com/m, v1.0.0, false",
    })
    void checksPathAndVersionAgree(String path, String version, boolean ok) {
        assertThat(Module.isValid(path, version)).isEqualTo(ok);
        if (ok) {
            assertThatCode(() -> Module.check(path, version)).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> Module.check(path, version)).isInstanceOf(ModuleException.class);
        }
    }

    @Test
    void messagesReadLikeTheGoCommand() {
        assertThatThrownBy(() -> Module.check("example.org/m", "v2.0.0"))
                .hasMessage("example.org/m@v2.0.0: invalid version: should be v0 or v1, not v2");
        assertThatThrownBy(() -> Module.check("example.org/m/v3", "v2.0.0"))
                .hasMessage("example.org/m/v3@v2.0.0: invalid version: should be v3, not v2");
        assertThatThrownBy(() -> Module.check("example.org/m", "latest"))
                .hasMessage("example.org/m@latest: invalid version: not a semantic version");
    }

    @ParameterizedTest(name = "{0}@{1} -> {2}")
    @CsvSource({
        "example.org/m, v1.0.0, true",
        "example.org/m, v2.0.0+incompatible, true",
        "example.org/m, v1.0.0+incompatible, false",
        "example.org/m, v0.1.0+incompatible, false",
        "example.org/m/v2, v2.0.0+incompatible, false",
        "gopkg.in/m.v2, v2.0.0+incompatible, false",
        "example.org/m, v1.0, false",
        "example.org/m, v1.0.0+build, false",
        "example.org/m, v2.0.0, false",
    })
    void servableVersionsAreCanonicalAndFollowTheIncompatibleRule(String path, String version, boolean ok) {
        assertThat(Module.isServable(path, version)).isEqualTo(ok);
        if (ok) {
            assertThatCode(() -> Module.checkServable(path, version)).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> Module.checkServable(path, version)).isInstanceOf(ModuleException.class);
        }
    }

    @Test
    void servableMessages() {
        assertThatThrownBy(() -> Module.checkServable("example.org/m", "v1.0"))
                .hasMessage("example.org/m@v1.0: invalid version: version \"v1.0\" is not canonical "
                        + "(should be \"v1.0.0\")");
        assertThatThrownBy(() -> Module.checkServable("example.org/m", "main"))
                .hasMessage("example.org/m@main: invalid version: not a semantic version");
        assertThatThrownBy(() -> Module.checkServable("example.org/m/v2", "v2.0.0+incompatible"))
                .hasMessageContaining("+incompatible suffix not allowed: module path includes a major version suffix");
        assertThatThrownBy(() -> Module.checkServable("example.org/m", "v1.0.0+incompatible"))
                .hasMessageContaining("+incompatible suffix not allowed: major version v1 is compatible");
    }

    @Test
    void pathMajorMatching() {
        assertThat(Module.matchPathMajor("v0.1.0", "")).isTrue();
        assertThat(Module.matchPathMajor("v5.0.0+incompatible", "")).isTrue();
        assertThat(Module.matchPathMajor("v5.0.0", "")).isFalse();
        assertThat(Module.matchPathMajor("v5.0.0", "/v5")).isTrue();
        assertThat(Module.matchPathMajor("v5.0.0", ".v5")).isTrue();
        assertThat(Module.matchPathMajor("v1.1.0", ".v1-unstable")).isTrue();
        assertThat(Module.matchPathMajor("v0.0.0-20200102030405-abcdefabcdef", ".v1")).isTrue();
        assertThat(Module.matchPathMajor("v0.1.0", "/v2")).isFalse();
        assertThatThrownBy(() -> Module.checkPathMajor("v1.0.0", "/v2")).isInstanceOf(ModuleException.class);
    }

    @Test
    void canonicalVersionKeepsIncompatible() {
        assertThat(Module.canonicalVersion("v3.1.0+incompatible")).isEqualTo("v3.1.0+incompatible");
        assertThat(Module.canonicalVersion("v3.1+incompatible")).isEmpty();
        assertThat(Module.canonicalVersion("v3.1.0+other")).isEqualTo("v3.1.0");
        assertThat(Module.canonicalVersion("v3")).isEqualTo("v3.0.0");
        assertThat(Module.canonicalVersion("three")).isEmpty();
        assertThat(Module.isCanonical("v3.1.0+incompatible")).isTrue();
        assertThat(Module.isCanonical("v3.1.0+other")).isFalse();
        assertThat(Module.isCanonical("v3.1")).isFalse();
        assertThat(Module.isCanonical("")).isFalse();
    }
}
