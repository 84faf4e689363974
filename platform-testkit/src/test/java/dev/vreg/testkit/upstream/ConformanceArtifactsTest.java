package dev.vreg.testkit.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.AssetKind;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ConformanceArtifactsTest {

    @Test
    void listsAndLatestAreMetadataWithoutAVersion() {
        assertThat(ConformanceArtifacts.ref("github.com/one/two/@v/list")).isEqualTo(
                new ArtifactRef("github.com/one/two/@v/list", AssetKind.METADATA, "github.com/one/two", null, "list"));
        assertThat(ConformanceArtifacts.ref("github.com/one/two/@latest")).isEqualTo(
                new ArtifactRef("github.com/one/two/@latest", AssetKind.METADATA, "github.com/one/two", null,
                        "latest"));
    }

    @Test
    void versionFilesAreContentWithTheirVersionAndFileKind() {
        ArtifactRef zip = ConformanceArtifacts.ref("github.com/!burnt!sushi/toml/@v/v1.3.2.zip");
        assertThat(zip.kind()).isEqualTo(AssetKind.CONTENT);
        assertThat(zip.name()).isEqualTo("github.com/BurntSushi/toml");
        assertThat(zip.version()).isEqualTo("v1.3.2");
        assertThat(zip.file()).isEqualTo("zip");
    }

    @Test
    void pathsThatAreNotGoproxyArtifactsAreRejected() {
        assertThatThrownBy(() -> ConformanceArtifacts.ref("github.com/one/two"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theKnownSetHoldsThePrefixTrapAndDistinctBodies() {
        assertThat(ConformanceArtifacts.small()).containsKeys(ConformanceArtifacts.TWO_LIST,
                ConformanceArtifacts.TWO_OTHER_LIST, ConformanceArtifacts.TWO_V2_LIST,
                ConformanceArtifacts.BURNT_SUSHI_MOD);
        assertThat(Stream.of(ConformanceArtifacts.TWO_LIST, ConformanceArtifacts.TWO_OTHER_LIST,
                ConformanceArtifacts.TWO_V2_LIST).map(ref -> new String(ConformanceArtifacts.small().get(ref))))
                .doesNotHaveDuplicates();
        assertThat(ConformanceArtifacts.small()).doesNotContainKeys(ConformanceArtifacts.MISSING,
                ConformanceArtifacts.ONE_LIST, ConformanceArtifacts.LARGE_ZIP, ConformanceArtifacts.FAILING_ZIP);
    }

    @Test
    void etagsAreQuotedAndDifferPerPath() {
        assertThat(ConformanceArtifacts.etagOf(ConformanceArtifacts.TWO_LIST)).startsWith("\"").endsWith("\"")
                .isNotEqualTo(ConformanceArtifacts.etagOf(ConformanceArtifacts.TWO_OTHER_LIST));
    }
}
