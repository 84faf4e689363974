package dev.vreg.testkit.go;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class GoVersionsTest {

    @Test
    void canonicalVersions() {
        assertThat(GoVersions.isCanonical("v1.0.0")).isTrue();
        assertThat(GoVersions.isCanonical("v1.2.3-rc.1")).isTrue();
        assertThat(GoVersions.isCanonical("v2.0.0+incompatible")).isTrue();
        assertThat(GoVersions.isCanonical("v1.2")).isFalse();
        assertThat(GoVersions.isCanonical("v1.0.0+build")).isFalse();
        assertThat(GoVersions.isCanonical("v01.0.0")).isFalse();
        assertThat(GoVersions.isCanonical("v1.0.0-01")).isFalse();
        assertThat(GoVersions.isCanonical("1.0.0")).isFalse();
    }

    @Test
    void pseudoVersionsAndTheirTime() {
        assertThat(GoVersions.isPseudo("v0.0.0-20240102030405-abcdefabcdef")).isTrue();
        assertThat(GoVersions.isPseudo("v1.2.4-0.20240102030405-abcdefabcdef")).isTrue();
        assertThat(GoVersions.isPseudo("v1.2.3-pre.0.20240102030405-abcdefabcdef")).isTrue();
        assertThat(GoVersions.isPseudo("v1.0.0-rc.1")).isFalse();
        assertThat(GoVersions.pseudoTime("v0.0.0-20240102030405-abcdefabcdef"))
                .isEqualTo(Instant.parse("2024-01-02T03:04:05Z"));
    }

    @Test
    void versionsMustFitTheMajorSuffix() {
        GoVersions.checkFits("example.com/m", "v1.5.0");
        GoVersions.checkFits("example.com/m", "v3.0.0+incompatible");
        GoVersions.checkFits("example.com/m/v2", "v2.0.0-beta.1");
        GoVersions.checkFits("gopkg.in/yaml.v1", "v1.0.0");
        GoVersions.checkFits("gopkg.in/yaml.v1", "v0.0.0-20240102030405-abcdefabcdef");
        assertThatThrownBy(() -> GoVersions.checkFits("example.com/m", "v2.0.0"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GoVersions.checkFits("example.com/m", "v1.0.0+incompatible"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GoVersions.checkFits("example.com/m/v2", "v3.0.0"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GoVersions.checkFits("example.com/m/v2", "v2.0.0+incompatible"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GoVersions.checkFits("gopkg.in/yaml.v2", "v1.0.0"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
