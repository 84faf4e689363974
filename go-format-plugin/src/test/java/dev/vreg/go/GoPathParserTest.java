package dev.vreg.go;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.AssetKind;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GoPathParserTest {

    @Test
    void zipWithPercentEncodedBangs() {
        ArtifactRef ref = GoPathParser.classify("github.com/%21burnt%21sushi/toml/@v/v1.3.2.zip");
        assertThat(ref).isEqualTo(new ArtifactRef("github.com/!burnt!sushi/toml/@v/v1.3.2.zip", AssetKind.CONTENT,
                "github.com/BurntSushi/toml", "v1.3.2", "zip"));
    }

    @Test
    void literalAndEncodedBangsAreTheSameArtifact() {
        assertThat(GoPathParser.classify("github.com/!burnt!sushi/toml/@v/v1.3.2.mod"))
                .isEqualTo(GoPathParser.classify("github.com/%21burnt%21sushi/toml/@v/v1.3.2.mod"))
                .isEqualTo(GoPathParser.classify("github.com/%21burnt!sushi/toml/%40v/v1.3.2.mod"));
    }

    @Test
    void listAndLatest() {
        assertThat(GoPathParser.classify("golang.org/x/text/@v/list")).isEqualTo(new ArtifactRef(
                "golang.org/x/text/@v/list", AssetKind.METADATA, "golang.org/x/text", null, "list"));
        assertThat(GoPathParser.classify("github.com/%21azure/go/@latest")).isEqualTo(new ArtifactRef(
                "github.com/!azure/go/@latest", AssetKind.METADATA, "github.com/Azure/go", null, "latest"));
    }

    @Test
    void trailingSlashOnlyOnModuleWideNames() {
        assertThat(GoPathParser.classify("golang.org/x/text/@v/list/").path()).isEqualTo("golang.org/x/text/@v/list");
        assertThat(GoPathParser.classify("golang.org/x/text/@latest/").path()).isEqualTo("golang.org/x/text/@latest");
        assertNotFound("golang.org/x/text/@v/v0.14.0.zip/");
        assertNotFound("golang.org/x/text/@v/v0.14.0.info/");
    }

    @Test
    void plusStaysPlus() {
        ArtifactRef ref = GoPathParser.classify("example.org/m/@v/v2.0.0+incompatible.zip");
        assertThat(ref.version()).isEqualTo("v2.0.0+incompatible");
        assertThat(ref.path()).isEqualTo("example.org/m/@v/v2.0.0+incompatible.zip");
        assertThat(GoPathParser.classify("example.org/m/@v/v2.0.0%2Bincompatible.zip")).isEqualTo(ref);
    }

    @Test
    void infoOfACanonicalVersionIsContent() {
        ArtifactRef ref = GoPathParser.classify("example.org/m/v3/@v/v3.1.0.info");
        assertThat(ref.kind()).isEqualTo(AssetKind.CONTENT);
        assertThat(ref.file()).isEqualTo("info");
        assertThat(ref.version()).isEqualTo("v3.1.0");
    }

    @Test
    void infoOfAnythingElseIsAQuery() {
        assertThat(GoPathParser.classify("example.org/m/@v/master.info")).isEqualTo(new ArtifactRef(
                "example.org/m/@v/master.info", AssetKind.METADATA, "example.org/m", "master", "info"));
        assertThat(GoPathParser.classify("example.org/m/@v/!release-1.2.info")).isEqualTo(new ArtifactRef(
                "example.org/m/@v/!release-1.2.info", AssetKind.METADATA, "example.org/m", "Release-1.2", "info"));
        assertThat(GoPathParser.classify("example.org/m/@v/v1.2.info").kind()).isEqualTo(AssetKind.METADATA);
        assertThat(GoPathParser.classify("example.org/m/@v/v2.0.0.info").kind()).isEqualTo(AssetKind.METADATA);
        assertThat(GoPathParser.classify("example.org/m/@v/0123abcd.info").version()).isEqualTo("0123abcd");
    }

    @Test
    void modAndZipNeedACanonicalVersionOfTheModule() {
        assertNotFound("example.org/m/@v/v1.2.zip", "example.org/m@v1.2: invalid version: version \"v1.2\" "
                + "is not canonical (should be \"v1.2.0\")");
        assertNotFound("example.org/m/@v/master.mod", "example.org/m@master: invalid version: not a semantic version");
        assertNotFound("example.org/m/@v/v2.0.0.zip", "example.org/m@v2.0.0: invalid version: should be v0 or v1, "
                + "not v2");
        assertNotFound("example.org/m/v2/@v/v2.0.0+incompatible.mod",
                "example.org/m/v2@v2.0.0+incompatible: invalid version: +incompatible suffix not allowed: "
                        + "module path includes a major version suffix, so major version must match");
        assertNotFound("example.org/m/@v/v1.0.0+meta.zip");
    }

    @Test
    void invalidModulePaths() {
        assertNotFound("github.com/BurntSushi/toml/@v/list",
                "invalid escaped module path \"github.com/BurntSushi/toml\"");
        assertNotFound("github.com/!burnt!/toml/@v/list", "invalid escaped module path \"github.com/!burnt!/toml\"");
        assertNotFound("github.com/b\u00fcrnt/toml/@v/list");
        assertNotFound("github.com/b%C3%BCrnt/toml/@v/list");
        assertNotFound("example.org/m/v1/@v/list", "invalid escaped module path \"example.org/m/v1\": "
                + "malformed module path \"example.org/m/v1\": invalid version");
        assertNotFound("gopkg.in/yaml/@v/list");
        assertNotFound("localhost/m/@v/list");
        assertNotFound("example.org//m/@v/list");
        assertNotFound("/example.org/m/@v/list");
        assertNotFound("@v/list");
    }

    @Test
    void invalidVersions() {
        assertNotFound("example.org/m/@v/V1.0.0.zip", "invalid escaped version \"V1.0.0\"");
        assertNotFound("example.org/m/@v/v1.0.0!.zip");
        assertNotFound("example.org/m/@v/.zip");
        assertNotFound("example.org/m/@v/v1:0.info");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "example.org/m/@v/v1.0.0.tar", "example.org/m/@v/v1.0.0", "example.org/m/@v/", "example.org/m/@v/x/y.info",
        "example.org/m/@latest/x", "example.org/m/@v/list/x", "example.org/m/@v/list.zip/", "example.org/m/@w/list",
        "example.org/m/@v/lists", "example.org/m", "", "example.org/m/@v/v1.0.0.zip?x=1",
    })
    void notProxyPaths(String raw) {
        assertNotFound(raw);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "example.org/m/@v/v1.0.0.zi%", "example.org/m/@v/v1.0.0.zi%7", "example.org/m/%zz/@v/list",
        "example.org/m/%C3/@v/list", "example.org%2Fm/@v/list", "example.org/m%2f@v/list", "example.org/m/@v/list%",
        "example.org/m/%\uFF10\uFF10/@v/list",
    })
    void malformedPercentEncoding(String raw) {
        assertNotFound(raw);
    }

    @Test
    void malformedEscapeMessage() {
        assertNotFound("example.org/m/@v/v1.0.0.zi%", "invalid URL escape \"%\"");
        assertNotFound("example.org%2Fm/@v/list", "invalid path: encoded slash");
    }

    private static void assertNotFound(String raw) {
        assertThatThrownBy(() -> GoPathParser.classify(raw))
                .isInstanceOf(VregException.class)
                .matches(e -> ((VregException) e).kind() == ErrorKind.NOT_FOUND, "kind NOT_FOUND");
    }

    private static void assertNotFound(String raw, String message) {
        assertNotFound(raw);
        assertThatThrownBy(() -> GoPathParser.classify(raw)).hasMessage(message);
    }
}
