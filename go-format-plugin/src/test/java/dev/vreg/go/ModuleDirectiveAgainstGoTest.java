package dev.vreg.go;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.go.module.GoQuote;
import dev.vreg.go.module.ModuleDirective;
import dev.vreg.go.module.ModuleException;
import dev.vreg.testkit.go.GoTool;
import dev.vreg.testkit.go.XModProgram;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module directive of a table of go.mod files, read by {@code modfile.ParseLax} from the toolchain's
 * golang.org/x/mod and by {@link ModuleDirective}: both must refuse the same files and read the same path from the
 * others. (ParseLax also refuses files for other directives, a malformed {@code go} or {@code require} line, which
 * {@link ModuleDirective} does not look at; the table keeps those lines valid.)
 */
class ModuleDirectiveAgainstGoTest {

    private static final String PROGRAM = """
            package main

            import (
            	"fmt"
            	"os"

            	"golang.org/x/mod/modfile"
            )

            // For each file named on the command line: "error", or "ok" and the hex bytes of the module path.
            func main() {
            	for _, name := range os.Args[1:] {
            		data, err := os.ReadFile(name)
            		if err != nil {
            			fmt.Fprintln(os.Stderr, err)
            			os.Exit(1)
            		}
            		f, err := modfile.ParseLax("go.mod", data, nil)
            		switch {
            		case err != nil:
            			fmt.Println("error")
            		case f.Module == nil:
            			fmt.Println("ok ")
            		default:
            			fmt.Printf("ok %x\\n", f.Module.Mod.Path)
            		}
            	}
            }
            """;

    private static final List<String> FILES = List.of(
            "", "\n", "module example.com/m", "module example.com/m\n", "module example.com/m\r\n",
            "  module\texample.com/m  \n", "module example.com/m // c\n", "module example.com/m//c\n",
            "module example.com/m/\n", "module example.com/m /c\n", "// module example.com/x\nmodule example.com/m\n",
            "module \"example.com/m\"\n", "module \"example.com/m\" // c\n", "module \"\"\n", "module \"a b\"\n",
            "module \"example.com/\\x6d\"\n", "module \"example.com/\\155\"\n", "module \"\\u00e9\"\n",
            "module \"\\U0001F600\"\n", "module \"\\a\\b\\f\\n\\r\\t\\v\\\\\\\"\"\n", "module \"\\'\"\n",
            "module \"\\q\"\n", "module \"\\x6\"\n", "module \"\\400\"\n", "module \"\\18\"\n", "module \"\\ud800\"\n",
            "module \"\\U00110000\"\n", "module \"example.com/m\n", "module \"example.com/m", "module \"m\\",
            "module `example.com/m`\n", "module 'example.com/m'\n", "module example.com/'m\n",
            "module exa\"mple\n", "module \"a\"b\n", "module a b\n", "module\n", "module //c\n",
            "module (\n\texample.com/m\n)\n", "module (\n\texample.com/m // c\n)\n",
            "module ( // c\n\t// before\n\texample.com/m\n\n)\n", "module (\n)\n", "module ()\n", "module ( )\n",
            "module (\n\ta\n\tb\n)\n", "module (\n\ta b\n)\n", "module ( example.com/m )\n",
            "module (example.com/m)\n", "module (\n\texample.com/m\n) x\n", "module (\n\texample.com/m\n",
            "module (\n\tmodule example.com/m\n)\n", "module example.com/m (\n)\n", "module example.com/m (\n\tx\n)\n",
            "module example.com/a\nmodule example.com/b\n", "module example.com/a\nmodule (\n\texample.com/b\n)\n",
            "\"module\" example.com/m\n", "modulex example.com/m\n", "Module example.com/m\n",
            "go 1.22\n\nmodule example.com/m\n\nrequire example.com/x v1.0.0\n",
            "require (\n\texample.com/x v1.0.0\n\tmodule v1.0.0\n)\nmodule example.com/m\n",
            "replace ( bad stuff here\nmodule example.com/m\n", "unknown [ x ] { y } , z\nmodule example.com/m\n",
            "( x\nmodule example.com/m\n", ")\nmodule example.com/m\n", "module example.com/m\n)\n",
            "module example.com/m\n/* c */\n", "module example.com/m/*c*/\n", "module example.com/m\n/\n",
            "module example.com/m\n\u000b\n", "module example.com/m\f\n", "module example.com/m\u00a0\n",
            "module example.com/\u00e9\n", "module example.com/\u00ad\n", "\uFEFFmodule example.com/m\n",
            "module example.com/m\u2028\n", "module example.com/m\u200b\n", "module example.com/\u0301\n",
            "module example.com/m\u0000\n", "module example.com/m\u007f\n", "module \"\u0001\"\n",
            "module example.com/m\nrequire \"x\n", "module example.com/m\nrequire \"x",
            "module example.com/m\nrequire `x\n",
            "module example.com/m\nx \"\\\"y\"\n", "module example.com/m\nx `\\`\n", "module [\n",
            "module example.com/m,\n", "module example.com/m,x\n", "module {\n\texample.com/m\n}\n");

    @TempDir
    Path dir;

    @Test
    void everyFileReadsAsTheGoCommandReadsIt() throws Exception {
        List<String> names = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        for (String file : FILES) {
            bodies.add(file.getBytes(StandardCharsets.UTF_8));
        }
        // Bytes that are not UTF-8, which Go reads as U+FFFD, outside and inside a string.
        bodies.add(new byte[] {'m', 'o', 'd', 'u', 'l', 'e', ' ', 'm', (byte) 0xff, '\n'});
        bodies.add(new byte[] {'m', 'o', 'd', 'u', 'l', 'e', ' ', '"', 'm', (byte) 0xc3, '"', '\n'});
        bodies.add(new byte[] {'x', ' ', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '\n', 'm', 'o', 'd', 'u', 'l', 'e',
                ' ', 'm', '\n'});
        for (int i = 0; i < bodies.size(); i++) {
            Path file = Files.write(dir.resolve("case-" + i + ".mod"), bodies.get(i));
            names.add(file.toAbsolutePath().toString());
        }
        GoTool go = GoTool.builder(dir).build();
        XModProgram program = XModProgram.write(go, dir.resolve("program"), PROGRAM);
        List<String> answers = program.run(names.toArray(String[]::new)).assertSuccess().stdout().lines().toList();
        assertThat(answers).as("one answer per file").hasSize(bodies.size());

        List<String> disagreements = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            String want = answers.get(i).strip();
            String got = java(bodies.get(i)).strip();
            boolean pathUnknown = i >= FILES.size() && want.startsWith("ok") && got.startsWith("ok");
            if (!got.equals(want) && !pathUnknown) {
                String file = GoQuote.quote(new String(bodies.get(i), StandardCharsets.UTF_8));
                disagreements.add(file + ": go " + want + ", java " + got);
            }
        }
        assertThat(disagreements).as("files where ModuleDirective and modfile.ParseLax disagree").isEmpty();
        assertThat(answers).as("the table has refused files").contains("error");
    }

    private static String java(byte[] body) {
        try {
            return "ok " + ModuleDirective.declaredPath(body)
                    .map(p -> HexFormat.of().formatHex(p.getBytes(StandardCharsets.UTF_8))).orElse("");
        } catch (ModuleException e) {
            return "error";
        }
    }
}
