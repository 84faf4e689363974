package dev.vreg.go.merge;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LatestMergeTest {

    private static final String M = "example.org/m";

    @Test
    void releaseBeatsPrereleaseAndPseudo() {
        assertThat(choose(M, info("v1.3.0-rc.1"), info("v1.2.0"), info("v1.4.1-0.20240101000000-abcdefabcdef")))
                .contains(1);
    }

    @Test
    void highestReleaseWins() {
        assertThat(choose(M, info("v1.2.0"), info("v1.10.0"), info("v1.9.9"))).contains(1);
    }

    @Test
    void prereleaseBeatsPseudo() {
        assertThat(choose(M, info("v0.0.0-20240101000000-abcdefabcdef"), info("v0.1.0-alpha"))).contains(1);
    }

    @Test
    void newestPseudoVersionWins() {
        assertThat(choose(M,
                info("v0.0.0-20230101000000-abcdefabcdef"),
                info("v0.0.0-20240101000000-000000000000"),
                info("v0.0.0-20220101000000-ffffffffffff"))).contains(1);
    }

    @Test
    void tiesGoToTheHigherPriorityPart() {
        assertThat(choose(M, info("v1.0.0"), info("v1.0.0"))).contains(0);
    }

    @Test
    void skipsUnusableParts() {
        assertThat(choose(M,
                "not json",
                "{\"Version\":\"v9.0.0\"}",
                "{\"Version\":\"v1.5\"}",
                "{\"Time\":\"2024-01-01T00:00:00Z\"}",
                "{\"Version\":\"v1.9.0\",\"Time\":\"yesterday\"}",
                info("v1.0.0"))).contains(5);
        assertThat(choose(M, "", "[]")).isEmpty();
    }

    @Test
    void suffixedPathsOnlyAcceptTheirMajor() {
        assertThat(choose("example.org/m/v3", info("v2.9.0"), info("v3.0.0-pre"))).contains(1);
        assertThat(choose(M, info("v3.0.0+incompatible"), info("v1.0.0"))).contains(0);
    }

    @Test
    void queriesTakeTheFirstUsableAnswer() {
        List<byte[]> bodies = bytes("oops", info("v0.0.0-20240101000000-abcdefabcdef"), info("v1.0.0"));
        assertThat(QueryMerge.choose(M, bodies)).contains(1);
        assertThat(QueryMerge.choose(M, bytes("{}", "null"))).isEmpty();
    }

    private static String info(String version) {
        return "{\"Version\":\"" + version + "\",\"Time\":\"2024-01-01T00:00:00Z\"}";
    }

    private static Optional<Integer> choose(String module, String... bodies) {
        return LatestMerge.choose(module, bytes(bodies));
    }

    private static List<byte[]> bytes(String... bodies) {
        return Arrays.stream(bodies).map(b -> b.getBytes(UTF_8)).toList();
    }
}
