package dev.vreg.go.module;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SemverTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "NONE", value = {
        "v2, v2.0.0",
        "v2.7, v2.7.0",
        "v2.7.1, v2.7.1",
        "v0.0.0, v0.0.0",
        "v2.7.1-rc.3, v2.7.1-rc.3",
        "v2.7.1-rc.3+build.5, v2.7.1-rc.3",
        "v2.7.1+build.5, v2.7.1",
        "v2.7.1+incompatible, v2.7.1",
        "v2.7.1-0a, v2.7.1-0a",
        "v2.7.1-7.0.x-y, v2.7.1-7.0.x-y",
        "v2.7.1+meta-data.007, v2.7.1",
        "v10.200.3000, v10.200.3000",
    })
    void canonicalOfValidVersions(String in, String canonical) {
        assertThat(Semver.isValid(in)).isTrue();
        assertThat(Semver.canonical(in)).isEqualTo(canonical);
    }

    @ParameterizedTest
    @CsvSource({
        "''", "2.7.1", "V2.7.1", "v", "v2.", "v2.7.", "v02.7.1", "v2.07.1", "v2.7.01", "v2-beta", "v2+meta",
        "v2.7-beta", "v2.7+meta", "v2.7.1-", "v2.7.1-beta..1", "v2.7.1-beta.01", "v2.7.1+", "v2.7.1+a..b",
        "v2.7.1-beta_1", "'v2.7.1 '", "v2.7.1.4", "v2.7.1-ü",
    })
    void rejectsInvalidVersions(String in) {
        assertThat(Semver.isValid(in)).isFalse();
        assertThat(Semver.canonical(in)).isEmpty();
        assertThat(Semver.major(in)).isEmpty();
        assertThat(Semver.prerelease(in)).isEmpty();
        assertThat(Semver.build(in)).isEmpty();
    }

    @Test
    void parts() {
        assertThat(Semver.major("v3.1.4-pre+b")).isEqualTo("v3");
        assertThat(Semver.major("v3")).isEqualTo("v3");
        assertThat(Semver.prerelease("v3.1.4-pre.1+b")).isEqualTo("-pre.1");
        assertThat(Semver.prerelease("v3.1.4+b-c")).isEmpty();
        assertThat(Semver.build("v3.1.4-pre.1+b.c")).isEqualTo("+b.c");
        assertThat(Semver.build("v3.1.4+incompatible")).isEqualTo("+incompatible");
    }

    @Test
    void ordersByPrecedence() {
        List<String> ordered = List.of(
                "bad",
                "v0.9.0",
                "v1.0.0-0",
                "v1.0.0-1",
                "v1.0.0-10",
                "v1.0.0-alpha",
                "v1.0.0-alpha.1",
                "v1.0.0-alpha.beta",
                "v1.0.0-beta",
                "v1.0.0-beta.2",
                "v1.0.0-beta.11",
                "v1.0.0-rc.1",
                "v1.0.0",
                "v1.0.1",
                "v1.2.0",
                "v1.10.0",
                "v2.0.0+incompatible",
                "v10.0.0");
        List<String> shuffled = new ArrayList<>(ordered);
        Collections.shuffle(shuffled, new Random(7));
        shuffled.sort(Semver.ORDER);
        assertThat(shuffled).containsExactlyElementsOf(ordered);
    }

    @Test
    void compareIgnoresBuildAndShorthands() {
        assertThat(Semver.compare("v1.2", "v1.2.0")).isZero();
        assertThat(Semver.compare("v1.2.0+a", "v1.2.0+b")).isZero();
        assertThat(Semver.compare("x", "y")).isZero();
        assertThat(Semver.compare("x", "v0.0.0")).isNegative();
        assertThat(Semver.compare("v0.0.0", "x")).isPositive();
        assertThat(Semver.compare("v1.0.0-rc.1", "v1.0.0-rc.1.0")).isNegative();
    }

    @Test
    void pseudoVersionsOrderByTimeForTheSameBase() {
        assertThat(Semver.compare("v0.0.0-20200101000000-aaaaaaaaaaaa", "v0.0.0-20210101000000-000000000000"))
                .isNegative();
        assertThat(Semver.compare("v1.2.4-0.20200101000000-aaaaaaaaaaaa", "v1.2.3")).isPositive();
        assertThat(Semver.compare("v1.2.4-0.20200101000000-aaaaaaaaaaaa", "v1.2.4-rc.1")).isNegative();
    }
}
