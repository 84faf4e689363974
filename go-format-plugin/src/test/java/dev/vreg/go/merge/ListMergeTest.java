package dev.vreg.go.merge;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListMergeTest {

    @Test
    void unionSortedAndDeduplicated() {
        String merged = merge("example.org/m", "v1.10.0\nv1.2.0\nv1.9.0\n", "v1.2.0\nv0.1.0\nv1.10.0");
        assertThat(merged).isEqualTo("v0.1.0\nv1.2.0\nv1.9.0\nv1.10.0\n");
    }

    @Test
    void noVersionsGiveAnEmptyBody() {
        assertThat(merge("example.org/m", "", "\n\n")).isEmpty();
        assertThat(merge("example.org/m", "v2.0.0\nv1.0\n")).isEmpty();
    }

    @Test
    void dropsPseudoVersions() {
        String merged = merge("example.org/m",
                "v0.0.0-20230102030405-abcdefabcdef\nv1.0.0\nv1.0.1-0.20230102030405-abcdefabcdef\n",
                "v1.1.0-rc.1.0.20230102030405-abcdefabcdef\nv1.1.0-rc.1\n");
        assertThat(merged).isEqualTo("v1.0.0\nv1.1.0-rc.1\n");
    }

    @Test
    void dropsNonCanonicalAndInvalidVersions() {
        String merged = merge("example.org/m", "v1.2\nv1\nv1.2.0+build\nV1.3.0\n1.4.0\nmaster\nv1.5.0\n");
        assertThat(merged).isEqualTo("v1.5.0\n");
    }

    @Test
    void majorVersionSuffixKeepsOnlyItsMajor() {
        String list = "v1.0.0\nv2.0.0\nv2.1.0-beta\nv3.0.0\nv2.0.0+incompatible\n";
        assertThat(merge("example.org/m/v2", list)).isEqualTo("v2.0.0\nv2.1.0-beta\n");
    }

    @Test
    void incompatibleOnlyOnUnsuffixedPathsAndAboveV1() {
        String list = "v1.0.0\nv2.0.0\nv2.0.0+incompatible\nv1.1.0+incompatible\nv3.1.0+incompatible\n";
        assertThat(merge("example.org/m", list)).isEqualTo("v1.0.0\nv2.0.0+incompatible\nv3.1.0+incompatible\n");
    }

    @Test
    void gopkgInRules() {
        String list = "v0.9.0\nv1.0.0\nv2.0.0\nv2.5.1\n";
        assertThat(merge("gopkg.in/yaml.v2", list)).isEqualTo("v2.0.0\nv2.5.1\n");
        assertThat(merge("gopkg.in/yaml.v1", list)).isEqualTo("v1.0.0\n");
        assertThat(merge("gopkg.in/yaml.v0", list)).isEqualTo("v0.9.0\n");
    }

    @Test
    void onlyTheFirstFieldCounts() {
        String merged = merge("example.org/m",
                "v1.0.0 2023-01-02T03:04:05Z\r\n  v1.1.0\t2023-02-02T03:04:05Z extra\n\u00a0v1.2.0\u2003x\n",
                "v1.1.0 1999-01-01T00:00:00Z\n");
        assertThat(merged).isEqualTo("v1.0.0\nv1.1.0\nv1.2.0\n");
    }

    private static String merge(String module, String... bodies) {
        List<byte[]> parts = Arrays.stream(bodies).map(b -> b.getBytes(UTF_8)).toList();
        return new String(ListMerge.merge(module, parts), UTF_8);
    }
}
