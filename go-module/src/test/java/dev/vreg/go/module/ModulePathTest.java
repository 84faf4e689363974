package dev.vreg.go.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ModulePathTest {

    /** path, valid module path, valid import path, valid file path. */
    static Stream<Arguments> paths() {
        return Stream.of(
                row("example.org/pkg", true, true, true),
                row("example.org", true, true, true),
                row("ex..ample.org/pkg", true, true, true),
                row("example.org/p-_~.q", true, true, true),
                row("example.org/p/v2", true, true, true),
                row("example.org/p/v17", true, true, true),
                row("example.org/Pkg/Sub", true, true, true),
                row("example.org/pkg~", true, true, true),
                row("example.org/pkg7~7x", true, true, true),
                row("example.org/lpt", true, true, true),
                row("example.org/con1", true, true, true),
                row("example.org/pkg.v", true, true, true),

                row("", false, false, false),
                row("/example.org/pkg", false, false, false),
                row("example.org/pkg/", false, false, false),
                row("example.org//pkg", false, false, false),
                row("example.org/./pkg", false, false, false),
                row("example.org/a/../b", false, false, false),
                row("example.org/pkg.", false, false, false),
                row("example./pkg", false, false, false),
                row("example.org/\uD800pkg", false, false, false),

                row(".example.org/pkg", false, true, true),
                row("example.org/.hidden", false, true, true),
                row("-example.org/pkg", false, false, true),
                row("Example.org/pkg", false, true, true),
                row("example_org/pkg", false, true, true),
                row("localhost/pkg", false, true, true),

                row("example.org/p/v0", false, true, true),
                row("example.org/p/v1", false, true, true),
                row("example.org/p/v05", false, true, true),
                row("example.org/p/v2.1", false, true, true),

                row("example.org/c++", false, true, true),
                row("example.org/a@b", false, false, true),
                row("example.org/a b", false, false, true),
                row("example.org/a!b", false, false, true),
                row("example.org/a,b", false, false, true),
                row("example.org/a(b)", false, false, true),
                row("example.org/a%b", false, false, true),
                row("example.org/a=b", false, false, true),
                row("example.org/a[b]", false, false, true),
                row("example.org/a{b}", false, false, true),
                row("example.org/a$b#c&d^e", false, false, true),
                row("example.org/a:b", false, false, false),
                row("example.org/a*b", false, false, false),
                row("example.org/a?b", false, false, false),
                row("example.org/a\"b", false, false, false),
                row("example.org/a'b", false, false, false),
                row("example.org/a<b>", false, false, false),
                row("example.org/a|b", false, false, false),
                row("example.org/a\\b", false, false, false),
                row("example.org/a`b", false, false, false),
                row("example.org/a;b", false, false, false),
                row("example.org/\u00e9t\u00e9", false, false, true),
                row("example.org/a\u2603b", false, false, false),

                row("example.org/nul", false, false, false),
                row("example.org/Com3", false, false, false),
                row("example.org/lpt9.txt", false, false, false),
                row("example.org/aux.tar.gz", false, false, false),
                row("example.org/PRN", false, false, false),
                row("example.org/pkg~1", false, false, true),
                row("example.org/pkg~12.x", false, false, true),
                row("example.org/!pkg", false, false, true));
    }

    private static Arguments row(String path, boolean module, boolean imports, boolean file) {
        return Arguments.of(path, module, imports, file);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("paths")
    void checksModuleImportAndFilePaths(String path, boolean module, boolean imports, boolean file) {
        assertThat(ModulePath.isValidPath(path)).as("module path").isEqualTo(module);
        assertThat(accepts(() -> ModulePath.checkPath(path))).as("module path").isEqualTo(module);
        assertThat(accepts(() -> ModulePath.checkImportPath(path))).as("import path").isEqualTo(imports);
        assertThat(accepts(() -> ModulePath.checkFilePath(path))).as("file path").isEqualTo(file);
        assertThat(ModulePath.filePathError(path) == null).as("file path").isEqualTo(file);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("paths")
    void splitPathVersionNeverLosesCharacters(String path) {
        ModulePath.PathVersion split = ModulePath.splitPathVersion(path);
        assertThat(split.prefix() + split.pathMajor()).isEqualTo(path);
    }

    @Test
    void messagesReadLikeTheGoCommand() {
        assertThatThrownBy(() -> ModulePath.checkPath("example.org/p/v1"))
                .hasMessage("malformed module path \"example.org/p/v1\": invalid version");
        assertThatThrownBy(() -> ModulePath.checkPath("localhost/p"))
                .hasMessage("malformed module path \"localhost/p\": missing dot in first path element");
        assertThatThrownBy(() -> ModulePath.checkPath("Example.org/p"))
                .hasMessage("malformed module path \"Example.org/p\": invalid char 'E' in first path element");
        assertThatThrownBy(() -> ModulePath.checkPath("example.org/aux"))
                .hasMessage("malformed module path \"example.org/aux\": "
                        + "\"aux\" disallowed as path element component on Windows");
        assertThatThrownBy(() -> ModulePath.checkFilePath("a/b:c"))
                .hasMessage("malformed file path \"a/b:c\": invalid char ':'");
    }

    @Test
    void splitsMajorVersionSuffixes() {
        assertThat(ModulePath.splitPathVersion("example.org/p/v3"))
                .isEqualTo(new ModulePath.PathVersion("example.org/p", "/v3", true));
        assertThat(ModulePath.splitPathVersion("example.org/p"))
                .isEqualTo(new ModulePath.PathVersion("example.org/p", "", true));
        assertThat(ModulePath.splitPathVersion("example.org/v"))
                .isEqualTo(new ModulePath.PathVersion("example.org/v", "", true));
        assertThat(ModulePath.splitPathVersion("example.org/p/v1").ok()).isFalse();
        assertThat(ModulePath.splitPathVersion("example.org/p/v07").ok()).isFalse();
        assertThat(ModulePath.splitPathVersion("example.org/p/v2.0").ok()).isFalse();
        assertThat(ModulePath.splitPathVersion("gopkg.in/check.v1"))
                .isEqualTo(new ModulePath.PathVersion("gopkg.in/check", ".v1", true));
        assertThat(ModulePath.splitPathVersion("gopkg.in/check.v0"))
                .isEqualTo(new ModulePath.PathVersion("gopkg.in/check", ".v0", true));
        assertThat(ModulePath.splitPathVersion("gopkg.in/src-d/go-git.v4"))
                .isEqualTo(new ModulePath.PathVersion("gopkg.in/src-d/go-git", ".v4", true));
        assertThat(ModulePath.splitPathVersion("gopkg.in/check.v3-unstable"))
                .isEqualTo(new ModulePath.PathVersion("gopkg.in/check", ".v3-unstable", true));
        assertThat(ModulePath.splitPathVersion("gopkg.in/check").ok()).isFalse();
        assertThat(ModulePath.splitPathVersion("gopkg.in/check.v01").ok()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gopkg.in/yaml.v3", "gopkg.in/yaml.v1", "gopkg.in/yaml.v0", "gopkg.in/yaml.v2-unstable"})
    void gopkgInPathsAreModulePaths(String path) {
        assertThat(ModulePath.isValidPath(path)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gopkg.in/yaml", "gopkg.in/yaml.v", "gopkg.in/yaml.v01", "gopkg.in/yaml/v2"})
    void gopkgInPathsNeedADotVersion(String path) {
        assertThat(ModulePath.isValidPath(path)).isFalse();
    }

    private static boolean accepts(Runnable check) {
        try {
            check.run();
            return true;
        } catch (ModuleException e) {
            return false;
        }
    }
}
