package dev.vreg.go.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ModuleEscapingTest {

    @ParameterizedTest(name = "{0} <-> {1}")
    @CsvSource({
        "github.com/BurntSushi/toml, github.com/!burnt!sushi/toml",
        "github.com/Azure/azure-sdk-for-go, github.com/!azure/azure-sdk-for-go",
        "example.org/ABC/v2, example.org/!a!b!c/v2",
        "example.org/plain-path_~.x/v3, example.org/plain-path_~.x/v3",
    })
    void pathsRoundTrip(String path, String escaped) {
        assertThat(ModuleEscaping.escapePath(path)).isEqualTo(escaped);
        assertThat(ModuleEscaping.unescapePath(escaped)).isEqualTo(path);
    }

    @ParameterizedTest(name = "{0} <-> {1}")
    @CsvSource({
        "v1.3.2, v1.3.2",
        "v2.0.0+incompatible, v2.0.0+incompatible",
        "v1.0.0-RC1, v1.0.0-!r!c1",
        "Main, !main",
        "feature@x, feature@x",
    })
    void versionsRoundTrip(String version, String escaped) {
        assertThat(ModuleEscaping.escapeVersion(version)).isEqualTo(escaped);
        assertThat(ModuleEscaping.unescapeVersion(escaped)).isEqualTo(version);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "github.com/BurntSushi/toml",
        "github.com/!burnt!sushi!/toml",
        "github.com/!1burnt/toml",
        "github.com/!-burnt/toml",
        "github.com/!!burnt/toml",
        "github.com/burnt/toml!",
        "github.com/bürnt/toml",
        "github.com/!burnt/toml/v1",
        "",
    })
    void rejectsBadEscapedPaths(String escaped) {
        assertThatThrownBy(() -> ModuleEscaping.unescapePath(escaped))
                .isInstanceOf(ModuleException.class)
                .hasMessageStartingWith("invalid escaped module path");
    }

    @ParameterizedTest
    @ValueSource(strings = {"V1.0.0", "v1.0.0!", "v1.!0.0", "v1.0.0-ü", "", "a/b", "v1:0"})
    void rejectsBadEscapedVersions(String escaped) {
        assertThatThrownBy(() -> ModuleEscaping.unescapeVersion(escaped))
                .isInstanceOf(ModuleException.class)
                .hasMessageStartingWith("invalid escaped version");
    }

    @Test
    void escapingRejectsInvalidInput() {
        assertThatThrownBy(() -> ModuleEscaping.escapePath("example.org/m/v1")).isInstanceOf(ModuleException.class);
        assertThatThrownBy(() -> ModuleEscaping.escapeVersion("v1!")).isInstanceOf(ModuleException.class);
        assertThatThrownBy(() -> ModuleEscaping.escapeVersion("a/b")).isInstanceOf(ModuleException.class);
    }

    @Test
    void messagesReadLikeTheGoCommand() {
        assertThatThrownBy(() -> ModuleEscaping.unescapePath("github.com/Foo/bar"))
                .hasMessage("invalid escaped module path \"github.com/Foo/bar\"");
        assertThatThrownBy(() -> ModuleEscaping.unescapePath("github.com/!foo/bar/v1"))
                .hasMessage("invalid escaped module path \"github.com/!foo/bar/v1\": "
                        + "malformed module path \"github.com/Foo/bar/v1\": invalid version");
    }
}
