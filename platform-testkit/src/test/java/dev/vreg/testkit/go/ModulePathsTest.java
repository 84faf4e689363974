package dev.vreg.testkit.go;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ModulePathsTest {

    @Test
    void escapesUpperCaseLettersWithBangs() {
        assertThat(ModulePaths.escape("github.com/BurntSushi/toml")).isEqualTo("github.com/!burnt!sushi/toml");
        assertThat(ModulePaths.escape("v1.0.0-RC.1")).isEqualTo("v1.0.0-!r!c.1");
        assertThat(ModulePaths.escape("example.com/plain")).isEqualTo("example.com/plain");
        assertThatThrownBy(() -> ModulePaths.escape("example.com/a!b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void percentDecodingKeepsPlusAndDecodesBangs() {
        assertThat(ModulePaths.percentDecode("/example.com/%21upper/@v/v2.0.0+incompatible.zip"))
                .isEqualTo("/example.com/!upper/@v/v2.0.0+incompatible.zip");
        assertThat(ModulePaths.percentDecode("/a%2Fb%2fc")).isEqualTo("/a/b/c");
        assertThat(ModulePaths.percentDecode("/caf%C3%A9")).isEqualTo("/café");
        assertThat(ModulePaths.percentDecode("/plain")).isEqualTo("/plain");
    }

    @Test
    void percentDecodingRejectsMalformedEscapes() {
        assertThatThrownBy(() -> ModulePaths.percentDecode("/a%2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ModulePaths.percentDecode("/a%zz")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ModulePaths.percentDecode("/a%ff")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void checkPathFollowsModuleCheckPath() {
        ModulePaths.checkPath("example.com/Upper/Case");
        ModulePaths.checkPath("example.com/m/v2");
        ModulePaths.checkPath("gopkg.in/yaml.v3");
        for (String bad : new String[] {"example", "Example.com/m", "example.com//m", "example.com/m/",
                "example.com/.m", "example.com/m./x", "example.com/m/v1", "example.com/m/v02", "gopkg.in/yaml",
                "example.com/con", "example.com/abc~1", "example.com/a b", "-x.com/m"}) {
            assertThatThrownBy(() -> ModulePaths.checkPath(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void majorSuffixes() {
        assertThat(ModulePaths.majorSuffix("example.com/m")).isEmpty();
        assertThat(ModulePaths.majorSuffix("example.com/m/v2")).isEqualTo("/v2");
        assertThat(ModulePaths.majorSuffix("example.com/m/v1")).isNull();
        assertThat(ModulePaths.majorSuffix("gopkg.in/yaml.v2")).isEqualTo(".v2");
        assertThat(ModulePaths.majorSuffix("gopkg.in/yaml.v0")).isEqualTo(".v0");
        assertThat(ModulePaths.majorSuffix("gopkg.in/yaml.v01")).isNull();
        assertThat(ModulePaths.withoutMajorSuffix("example.com/m/v3")).isEqualTo("example.com/m");
    }
}
