package dev.vreg.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void everyGroupButTheSoakRunsWhenNoneIsNamed() {
        Options all = Options.parse(new String[0]);
        assertThat(all.runs("warm")).isTrue();
        assertThat(all.runs("restart")).isTrue();
        assertThat(all.runs("soak")).isFalse();
        assertThat(all.soakMinutes()).isEqualTo(10);
    }

    @Test
    void namedGroupsRunAlone() {
        Options soak = Options.parse(new String[] {"--only", "soak,warm", "--soak-minutes", "3"});
        assertThat(soak.runs("soak")).isTrue();
        assertThat(soak.runs("warm")).isTrue();
        assertThat(soak.runs("graph")).isFalse();
        assertThat(soak.soakMinutes()).isEqualTo(3);
    }
}
