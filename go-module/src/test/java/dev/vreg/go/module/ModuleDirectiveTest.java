package dev.vreg.go.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModuleDirectiveTest {

    static Optional<String> declared(String goMod) {
        return ModuleDirective.declaredPath(goMod.getBytes(StandardCharsets.UTF_8));
    }

    static void refused(String goMod, String message) {
        assertThatThrownBy(() -> declared(goMod)).isInstanceOf(ModuleException.class).hasMessageContaining(message);
    }

    @Test
    void readsThePathOfThePlainQuotedAndBlockForms() {
        assertThat(declared("module example.com/m\n")).hasValue("example.com/m");
        assertThat(declared("module example.com/m")).hasValue("example.com/m");
        assertThat(declared("// c\n\nmodule   example.com/m // trailing\r\n\ngo 1.22\n")).hasValue("example.com/m");
        assertThat(declared("module \"example.com/m\"\n")).hasValue("example.com/m");
        assertThat(declared("module \"example.com/\\x6d\\u0031\"\n")).hasValue("example.com/m1");
        assertThat(declared("module example.com/m//comment\n")).hasValue("example.com/m");
        assertThat(declared("module (\n\t// the path\n\texample.com/m\n)\n")).hasValue("example.com/m");
    }

    @Test
    void aFileWithoutAModuleDirectiveHasNoPath() {
        assertThat(declared("")).isEmpty();
        assertThat(declared("go 1.22\nrequire example.com/x v1.0.0\n")).isEmpty();
        assertThat(declared("// module example.com/m\n")).isEmpty();
        assertThat(declared("module ()\n")).isEmpty();
        assertThat(declared("\"module\" example.com/m\n")).isEmpty();
        assertThat(declared("module example.com/m (\n)\n")).isEmpty();
        assertThat(declared("modules example.com/m\n")).isEmpty();
    }

    @Test
    void otherDirectivesAndBlocksAreSkipped() {
        assertThat(declared("require (\n\texample.com/x v1.0.0\n\tmodule v1.0.0\n)\nmodule example.com/m\n"))
                .hasValue("example.com/m");
        assertThat(declared("unknown ( x ) y\nmodule example.com/m\n")).hasValue("example.com/m");
    }

    @Test
    void aModuleDirectiveModfileRefusesIsRefused() {
        refused("module example.com/a\nmodule example.com/b\n", "go.mod:2: repeated module statement");
        refused("module\n", "usage: module module/path");
        refused("module a b\n", "usage: module module/path");
        refused("module (\n\ta b\n)\n", "go.mod:2: usage: module module/path");
        refused("module ( example.com/m )\n", "usage: module module/path");
        refused("module 'example.com/m'\n", "unquoted string cannot contain quote");
        refused("module `example.com/m`\n", "unquoted string cannot contain quote");
        refused("module \"example.com/\\q\"\n", "invalid quoted string");
        refused("module \"\\ud800\"\n", "invalid quoted string");
        refused("module \"\\400\"\n", "invalid quoted string");
    }

    @Test
    void syntaxErrorsAnywhereAreRefused() {
        refused("module example.com/m\n/* no */\n", "go.mod:2: mod files must use // comments");
        refused("module example.com/m\nrequire \"x\n", "unexpected newline in string");
        refused("module example.com/m\nrequire \"x", "unexpected EOF in string");
        refused("module example.com/m\nrequire (\n\tx v1\n", "unterminated block");
        refused("module example.com/m\nrequire (\n) x\n", "expected newline after closing paren");
        refused("module example.com/m\n\u000b\n", "unexpected input character");
        refused("module example.com/m\u00a0\n", "unexpected input character");
    }
}
