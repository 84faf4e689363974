package dev.vreg.go.merge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ListedLatestTest {

    private static byte[] list(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Optional<String> latest(String module, String... lists) {
        return ListedLatest.derive(module, java.util.Arrays.stream(lists).map(ListedLatestTest::list).toList())
                .map(b -> new String(b, StandardCharsets.UTF_8));
    }

    @Test
    void theHighestReleaseWinsOverANewerPseudoVersionListedBesideIt() {
        // proxy.golang.org's list for golang.org/x/text names an old-based pseudo-version beside the releases.
        assertThat(latest("golang.org/x/text", "v0.43.0\nv0.33.1-0.20260122225119-3264de9174be\nv0.44.0\n"))
                .contains("{\"Version\":\"v0.44.0\"}");
    }

    @Test
    void aReleaseAcrossListsWinsAndKeepsATimestampItsListGives() {
        assertThat(latest("example.com/m", "v1.0.0\nv1.2.0-rc.1\n", "v1.1.0 2024-05-01T10:00:00Z\n"))
                .contains("{\"Version\":\"v1.1.0\",\"Time\":\"2024-05-01T10:00:00Z\"}");
    }

    @Test
    void theHighestPrereleaseWhenThereIsNoRelease() {
        assertThat(latest("example.com/m", "v1.2.0-rc.1\nv0.0.0-20250101000000-aaaaaaaaaaaa\nv1.2.0-beta.3\n"))
                .contains("{\"Version\":\"v1.2.0-rc.1\"}");
    }

    @Test
    void theNewestPseudoVersionOnlyWhenTheListsHoldNothingElse() {
        assertThat(latest("example.com/m", "v0.0.0-20240101000000-aaaaaaaaaaaa\n",
                "v0.0.0-20240301000000-bbbbbbbbbbbb 2024-03-01T00:00:00Z\nv2.0.0-20250101000000-cccccccccccc\n"))
                .contains("{\"Version\":\"v0.0.0-20240301000000-bbbbbbbbbbbb\",\"Time\":\"2024-03-01T00:00:00Z\"}");
    }

    @Test
    void findsNothingInEmptyLists() {
        assertThat(latest("example.com/m", "", "\n")).isEmpty();
    }

    @Test
    void ignoresVersionsOfAnotherMajorVersion() {
        assertThat(latest("example.com/m/v2", "v0.0.0-20240101000000-aaaaaaaaaaaa\nv1.5.0\n")).isEmpty();
    }
}
