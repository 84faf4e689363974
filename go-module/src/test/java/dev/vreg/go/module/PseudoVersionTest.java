package dev.vreg.go.module;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PseudoVersionTest {

    private static final Instant T = Instant.parse("2019-03-04T05:06:07Z");

    @ParameterizedTest
    @ValueSource(strings = {
        // vX.0.0-timestamp-revision: no earlier tag
        "v0.0.0-20190304050607-0123456789ab",
        "v3.0.0-20190304050607-0123456789ab",
        // vX.Y.(Z+1)-0.timestamp-revision: after a release tag
        "v1.4.8-0.20190304050607-0123456789ab",
        "v3.0.1-0.20190304050607-0123456789ab+incompatible",
        // vX.Y.Z-pre.0.timestamp-revision: after a prerelease tag
        "v1.5.0-beta.2.0.20190304050607-0123456789ab",
        "v3.1.0-rc.0.20190304050607-0123456789ab+incompatible",
        "v1.0.0--.0.20190304050607-0123456789ab",
    })
    void recognizesEveryForm(String v) {
        assertThat(PseudoVersion.isPseudo(v)).isTrue();
        assertThat(PseudoVersion.time(v)).contains(T);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "v1.4.7",
        "v1.5.0-beta.2",
        "v2.0.0+incompatible",
        "v1.4.8-0.2019030405060-0123456789ab",
        "v1.4.8-1.20190304050607-0123456789ab",
        "v1.4.8-0.20190304050607-",
        "v1.4.8-0.20190304050607-01234_6789ab",
        "v0.0.0-20190304050607",
        "1.4.8-0.20190304050607-0123456789ab",
        "---",
    })
    void rejectsOtherVersions(String v) {
        assertThat(PseudoVersion.isPseudo(v)).isFalse();
        assertThat(PseudoVersion.time(v)).isEmpty();
    }

    @Test
    void timeOfAnImpossibleDateIsEmpty() {
        String v = "v0.0.0-20191304050607-0123456789ab";
        assertThat(PseudoVersion.isPseudo(v)).isTrue();
        assertThat(PseudoVersion.time(v)).isEmpty();
    }

    @Test
    void formsPseudoVersionsAsTheGoCommandDoes() {
        assertThat(PseudoVersion.of("", "", T, "0123456789ab")).isEqualTo("v0.0.0-20190304050607-0123456789ab");
        assertThat(PseudoVersion.of("v2", "", T, "0123456789ab")).isEqualTo("v2.0.0-20190304050607-0123456789ab");
        assertThat(PseudoVersion.of("", "v1.4.7", T.plusNanos(900_000_000), "0123456789ab"))
                .isEqualTo("v1.4.8-0.20190304050607-0123456789ab");
        assertThat(PseudoVersion.of("", "v1.4.9", T, "0123456789ab"))
                .isEqualTo("v1.4.10-0.20190304050607-0123456789ab");
        assertThat(PseudoVersion.of("", "v1.5.0-beta.2", T, "0123456789ab"))
                .isEqualTo("v1.5.0-beta.2.0.20190304050607-0123456789ab");
        assertThat(PseudoVersion.of("", "v3.0.0+incompatible", T, "0123456789ab"))
                .isEqualTo("v3.0.1-0.20190304050607-0123456789ab+incompatible");
    }

    @Test
    void readsTheRevisionAndTheBaseBack() {
        assertThat(PseudoVersion.rev("v1.4.8-0.20190304050607-0123456789ab")).isEqualTo("0123456789ab");
        assertThat(PseudoVersion.base("v1.4.8-0.20190304050607-0123456789ab")).isEqualTo("v1.4.7");
        assertThat(PseudoVersion.base("v1.4.10-0.20190304050607-0123456789ab")).isEqualTo("v1.4.9");
        assertThat(PseudoVersion.base("v1.5.0-beta.2.0.20190304050607-0123456789ab")).isEqualTo("v1.5.0-beta.2");
        assertThat(PseudoVersion.base("v3.0.1-0.20190304050607-0123456789ab+incompatible"))
                .isEqualTo("v3.0.0+incompatible");
        assertThat(PseudoVersion.base("v0.0.0-20190304050607-0123456789ab")).isEmpty();
        assertThat(PseudoVersion.rev("v1.2.3")).isEmpty();
    }
}
