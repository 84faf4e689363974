package dev.vreg.go;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.go.module.GoQuote;
import dev.vreg.go.module.ModuleException;
import dev.vreg.go.module.Retractions;
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
 * The retract directives of a table of go.mod files, read by {@code modfile.ParseLax} from the toolchain's
 * golang.org/x/mod and by {@link Retractions}: both must refuse the same files and read the same intervals and
 * rationales from the others, single versions and intervals, the block form, quoted and shorthand versions,
 * comments above, after and around them, and directives lax parsing skips.
 */
class RetractionsAgainstGoTest {

    private static final String PROGRAM = """
            package main

            import (
            	"fmt"
            	"os"

            	"golang.org/x/mod/modfile"
            )

            // For each file named on the command line: "error", or "ok" and per retraction low, high and the hex bytes
            // of the rationale.
            func main() {
            	for _, name := range os.Args[1:] {
            		data, err := os.ReadFile(name)
            		if err != nil {
            			fmt.Fprintln(os.Stderr, err)
            			os.Exit(1)
            		}
            		f, err := modfile.ParseLax("go.mod", data, nil)
            		if err != nil {
            			fmt.Println("error")
            			continue
            		}
            		fmt.Print("ok")
            		for _, r := range f.Retract {
            			fmt.Printf(" %s %s %x;", r.Low, r.High, r.Rationale)
            		}
            		fmt.Println()
            	}
            }
            """;

    private static final List<String> FILES = List.of(
            "module example.com/m\n",
            "module example.com/m\n\nretract v1.0.0\n",
            "module example.com/m\n\nretract v1.0.0 // broken build\n",
            "module example.com/m\n\n// Published too early.\nretract v1.0.0\n",
            "module example.com/m\n\n// Published too early.\n\nretract v1.0.0\n",
            "module example.com/m\n\n// one\n// two\nretract v1.0.0 // three\n",
            "module example.com/m\n\nretract [v1.0.0, v1.2.3] // a range\n",
            "module example.com/m\n\nretract [v1.0.0,v1.2.3]\n",
            "module example.com/m\n\nretract \"v1.0.1\" // quoted\n",
            "module example.com/m\n\nretract v1.2 // shorthand\n",
            "module example.com/m\n\nretract v1.0.0+meta\n",
            "module example.com/m\n\nretract v2.0.0+incompatible\n",
            "module example.com/m\n\nretract v1.1.0-rc.1 // a prerelease\n",
            "module example.com/m\n\nretract (\n\tv1.0.0 // first\n\t[v1.1.0, v1.1.9] // second\n)\n",
            "module example.com/m\n\n// Everything below was a mistake.\nretract (\n\tv1.0.0\n\tv1.0.1\n)\n",
            "module example.com/m\n\n// above the block\nretract (\n\t// above the line\n\tv1.0.0\n\tv1.0.1 // after the line\n"
                    + "\tv1.0.2\n\n\t// after a blank line\n\tv1.0.3\n\n\tv1.0.4\n) // after the block\n",
            "module example.com/m\n\nretract ( // after the parenthesis\n\tv1.0.0\n)\n",
            "module example.com/m\n\nretract (\n\n\tv1.0.0\n)\n",
            "module example.com/m\n\nretract (\n\tv1.0.0\n\t// trailing comment\n)\n",
            "module example.com/m\n\nretract ()\n",
            "module example.com/m\n\nretract (\n)\n",
            "module example.com/m\n\nretract v1.0.0 v1.0.1\n",
            "module example.com/m\n\nretract\n",
            "module example.com/m\n\nretract [v1.0.0]\n",
            "module example.com/m\n\nretract [v1.0.0, v1.1.0\n",
            "module example.com/m\n\nretract [v1.0.0 v1.1.0]\n",
            "module example.com/m\n\nretract latest\n",
            "module example.com/m\n\nretract 1.0.0\n",
            "module example.com/m\n\nretract 'v1.0.0'\n",
            "module example.com/m\n\nretract \"v1.0.0\n",
            "module example.com/m\n\nretract (\n\tv1.0.0\n",
            "module example.com/m\n\nretract /* no */ v1.0.0\n",
            "module example.com/m\n\nretract v1.0.0 ) x\n",
            "module example.com/m\n\nretract ( v1.0.0 )\n",
            "module example.com/m\n\nretract (\n\tv1.0.0\n) x\n",
            "module example.com/m\n\nretract x (\n\tv1.0.0\n)\n",
            "module example.com/m\n\nrequire (\n\tretract v1.0.0\n)\n",
            "module example.com/m\n\n\"retract\" v1.0.0\n",
            "module example.com/m\n\nretract v1.0.0\nretract v1.0.0 // again\n",
            "module example.com/m\r\n\r\n// windows\r\nretract v1.0.0 // crlf\r\n",
            "// Deprecated: use example.com/n.\nmodule example.com/m\n\ngo 1.21\n\nrequire example.com/x v1.0.0\n\n"
                    + "// Panics on start.\nretract v1.5.0\n\nretract [v1.6.0, v1.6.4] // Data loss.\n",
            "module example.com/m\n\nretract v1.0.0 //\n",
            "module example.com/m\n\nretract v1.0.0 //   spaced   \n",
            "module example.com/m\n\nretract v1.0.0 // \u00e9t\u00e9\n",
            "module example.com/m\n\nretract v1.0.0 // tab\there\n",
            "module example.com/m\n\nretract [latest, v1.0.0]\n", "module example.com/m\n\nretract [v1.0, v1.1]\n");

    @TempDir
    Path dir;

    @Test
    void everyFileReadsAsTheGoCommandReadsIt() throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < FILES.size(); i++) {
            Path file = Files.writeString(dir.resolve("case-" + i + ".mod"), FILES.get(i));
            names.add(file.toAbsolutePath().toString());
        }
        GoTool go = GoTool.builder(dir).build();
        XModProgram program = XModProgram.write(go, dir.resolve("program"), PROGRAM);
        List<String> answers = program.run(names.toArray(String[]::new)).assertSuccess().stdout().lines().toList();
        assertThat(answers).as("one answer per file").hasSize(FILES.size());

        List<String> disagreements = new ArrayList<>();
        for (int i = 0; i < FILES.size(); i++) {
            String want = answers.get(i).strip();
            String got = java(FILES.get(i).getBytes(StandardCharsets.UTF_8)).strip();
            if (!got.equals(want)) {
                disagreements.add(GoQuote.quote(FILES.get(i)) + ": go " + want + ", java " + got);
            }
        }
        assertThat(disagreements).as("files where Retractions and modfile.ParseLax disagree").isEmpty();
        assertThat(answers).as("the table has refused files").contains("error");
        assertThat(answers).as("the table has rationales over several lines")
                .anyMatch(a -> a.contains(HexFormat.of().formatHex("one\ntwo\nthree".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void aVersionIsRetractedByEveryIntervalCoveringIt() {
        Retractions retractions = Retractions.read(("module example.com/m\n\nretract (\n\t// Too early.\n\tv1.0.0\n"
                + "\t[v1.0.0, v1.2.0] // Broken API.\n\t[v1.3.0, v1.3.0]\n)\n").getBytes(StandardCharsets.UTF_8));
        assertThat(retractions.rationales("v1.0.0")).containsExactly("Too early.", "Broken API.");
        assertThat(retractions.rationales("v1.1.5-rc.1")).containsExactly("Broken API.");
        assertThat(retractions.covering("v1.3.0")).singleElement().extracting(Retractions.Retraction::rationale)
                .isEqualTo("");
        assertThat(retractions.covering("v1.2.1")).isEmpty();
        assertThat(retractions.covering("v0.9.0")).isEmpty();
        assertThat(retractions.covering("v1.3.1-0.20260101000000-abcdefabcdef")).isEmpty();
        // Kept as written, compared as semver.Compare does: a shorthand is its release, a word sorts below all.
        Retractions raw = Retractions.read("retract [v1.1, v1.2]\nretract latest\n".getBytes(StandardCharsets.UTF_8));
        assertThat(raw.covering("v1.1.0")).hasSize(1);
        assertThat(raw.covering("v1.2.0")).hasSize(1);
        assertThat(raw.covering("v1.2.1")).isEmpty();
        assertThat(raw.covering("v0.0.1")).isEmpty();
    }

    private static String java(byte[] body) {
        try {
            StringBuilder out = new StringBuilder("ok");
            for (Retractions.Retraction r : Retractions.read(body).all()) {
                out.append(' ').append(r.low()).append(' ').append(r.high()).append(' ')
                        .append(HexFormat.of().formatHex(r.rationale().getBytes(StandardCharsets.UTF_8))).append(';');
            }
            return out.toString();
        } catch (ModuleException e) {
            return "error";
        }
    }
}
