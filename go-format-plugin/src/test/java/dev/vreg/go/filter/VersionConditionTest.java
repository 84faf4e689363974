package dev.vreg.go.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import io.vertx.core.buffer.Buffer;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VersionConditionTest {

    @Test
    void rangesFollowTheGoVersionOrder() {
        assertThat(VersionCondition.matches("< v1.4.2", "v1.4.1")).isTrue();
        assertThat(VersionCondition.matches("< v1.4.2", "v1.4.2")).isFalse();
        assertThat(VersionCondition.matches("< v1.4.2", "v1.4.2-rc.1")).isTrue();
        assertThat(VersionCondition.matches("<v1.4.2", "v1.10.0")).isFalse();
        assertThat(VersionCondition.matches(">= v2.0.0, < v2.3.0", "v2.2.9")).isTrue();
        assertThat(VersionCondition.matches(">= v2.0.0, < v2.3.0", "v2.3.0")).isFalse();
        assertThat(VersionCondition.matches(">= v2.0.0, < v2.3.0", "v1.9.0")).isFalse();
        assertThat(VersionCondition.matches("= v1.2", "v1.2.0")).isTrue();
        assertThat(VersionCondition.matches("!= v1.2.0", "v1.2.0")).isFalse();
        assertThat(VersionCondition.matches("<= v1.2.0", "v1.2.0")).isTrue();
        assertThat(VersionCondition.matches("> v1.2.0", "v1.2.1")).isTrue();
    }

    @Test
    void wordsNameKindsOfVersion() {
        String pseudo = "v0.0.0-20240101120000-0123456789ab";
        assertThat(VersionCondition.matches("pseudo", pseudo)).isTrue();
        assertThat(VersionCondition.matches("prerelease", pseudo)).isFalse();
        assertThat(VersionCondition.matches("prerelease", "v1.0.0-beta.1")).isTrue();
        assertThat(VersionCondition.matches("prerelease", "v1.0.0")).isFalse();
        assertThat(VersionCondition.matches("release", "v1.0.0")).isTrue();
        assertThat(VersionCondition.matches("release", pseudo)).isFalse();
        assertThat(VersionCondition.matches("incompatible", "v2.0.0+incompatible")).isTrue();
        assertThat(VersionCondition.matches("incompatible", "v2.0.0")).isFalse();
        assertThat(VersionCondition.matches("incompatible, < v3.0.0", "v2.1.0+incompatible")).isTrue();
        assertThat(VersionCondition.matches("pseudo", "not-a-version")).isFalse();
    }

    @Test
    void badConditionsAreNamed() {
        assertThat(VersionCondition.problem("< v1.4.2")).isEmpty();
        assertThat(VersionCondition.problem("< 1.4.2")).hasValueSatisfying(p -> assertThat(p)
                .contains("\"< 1.4.2\"").contains("not a semantic version"));
        assertThat(VersionCondition.problem("~> v1.0.0")).hasValueSatisfying(p -> assertThat(p)
                .contains("\"~> v1.0.0\"").contains("not understood"));
        assertThat(VersionCondition.problem(">= v2.0.0,")).hasValueSatisfying(p -> assertThat(p)
                .contains("empty term"));
        assertThat(VersionCondition.problem(" ")).isPresent();
    }

    @Test
    void listsLoseRefusedVersionsAndLatestIsRefusedWithItsReason() {
        Buffer list = Buffer.buffer("v1.0.0\nv1.1.0\nv1.2.0\n");
        Buffer kept = MetadataFilter.list(list, v -> v.equals("v1.2.0") ? Optional.of("no") : Optional.empty());
        assertThat(kept.toString()).isEqualTo("v1.0.0\nv1.1.0\n");
        Buffer latest = Buffer.buffer("{\"Version\":\"v1.2.0\",\"Time\":\"2024-01-01T00:00:00Z\"}");
        assertThat(MetadataFilter.info(latest, v -> Optional.empty())).isEqualTo(latest);
        assertThatThrownBy(() -> MetadataFilter.info(latest, v -> Optional.of("v1.2.0 is pinned out")))
                .isInstanceOfSatisfying(VregException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.FORBIDDEN);
                    assertThat(e.getMessage()).isEqualTo("v1.2.0 is pinned out");
                });
    }
}
