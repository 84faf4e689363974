package dev.vreg.go;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.go.module.Glob;
import dev.vreg.go.module.PathPatterns;
import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.AssetKind;
import dev.vreg.testkit.go.GoTool;
import dev.vreg.testkit.go.XModProgram;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Module hints against the go command's own code: a table of GOPRIVATE patterns and module paths is answered by
 * {@code module.MatchPrefixPatterns} and {@code path.Match} from the toolchain's golang.org/x/mod, and the Java port
 * ({@link PathPatterns}, {@link Glob}) and the plugin's {@code matchesHints} and {@code hintProblem} must give the
 * same answer for every row.
 */
class HintPatternsAgainstGoTest {

    private static final String PROGRAM = """
            package main

            import (
            	"bufio"
            	"fmt"
            	"os"
            	"path"
            	"strings"

            	"golang.org/x/mod/module"
            )

            // Reads rows "prefix\\t<globs>\\t<target>" and "match\\t<glob>\\t<name>" from the file named by the first
            // argument and answers one line per row: module.MatchPrefixPatterns(globs, target), or path.Match(glob,
            // name) as true, false or error.
            func main() {
            	in, err := os.Open(os.Args[1])
            	if err != nil {
            		fmt.Fprintln(os.Stderr, err)
            		os.Exit(1)
            	}
            	rows := bufio.NewScanner(in)
            	rows.Buffer(make([]byte, 1<<20), 1<<20)
            	for rows.Scan() {
            		f := strings.Split(rows.Text(), "\\t")
            		switch f[0] {
            		case "prefix":
            			fmt.Println(module.MatchPrefixPatterns(f[1], f[2]))
            		case "match":
            			matched, err := path.Match(f[1], f[2])
            			if err != nil {
            				fmt.Println("error")
            			} else {
            				fmt.Println(matched)
            			}
            		}
            	}
            }
            """;

    /**
     * GOPRIVATE values: literal prefixes, *, ?, classes, ranges, negation, escapes, lists, empty and bad globs. The
     * {@code [!x]} rows pin down that path.Match, unlike a shell, does not read {@code !} as negation.
     */
    private static final List<String> PATTERNS = List.of(
            "", "/", ",", ",,", ",/,",
            "example.com", "example.com/", "example.com//", "/example.com", "example.com/private",
            "example.com/private/", "example.com/priv", "example.com/private/lib/v2/extra", "EXAMPLE.com",
            "example.com/Private", "example",
            "*", "*/", "**", "*?", "?", "*.com", "*.example.com", "*.corp.example", "*/private", "*/Private",
            "*/*", "*/*/v2", "*/*/*", "*/*/*/", "example.com/*", "example.com/*/lib", "*example*", "a*b*c",
            "example.com/p?ivate", "example.com/p??vate", "example.com/priv?", "e?ample.com",
            "example.com/[a-p]rivate", "example.com/[p-z]rivate", "example.com/[^p]rivate", "example.com/[^q]rivate",
            "example.com/[!p]rivate", "example.com/[!q]rivate", "[!e]xample.com", "[^e]xample.com",
            "example.com/[a-c-e]", "[a-z]xample.com", "[0-9]*", "[e][x]ample.com", "example.com/[pP]rivate",
            "example.com/[\\^p]rivate", "example.com/[\\]]", "[\\-e]xample.com",
            "example.com/\\private", "ex\\ample.com", "example.com/\\*", "example.com/\\",
            "example.com/[", "example.com/[^", "example.com/[]", "example.com/[a-]", "example.com/[-a]",
            "example.com/[a", "*[", "[", "example.com/[,example.com", "example.com/[,*.corp.example",
            "other.example,example.com", ",,example.com,,", "other.example,,*/private/lib",
            "gopkg.in/*", "gopkg.in/yaml.v?", "*.example.com/*/v[2-9]", "git.corp.example/team",
            "\u00e9*", "[\u00e0-\u00fc]xample.com", "example.com/priv\u00e4te");

    private static final List<String> TARGETS = List.of(
            "example.com", "example.com/private", "example.com/private/lib", "example.com/private/lib/v2",
            "example.com/Private/lib", "example.com/privatelib", "example.com/prvate", "example.com/pr/ivate",
            "example.com/!rivate", "example.com/^rivate", "example.com/-", "example.com/]", "example.com/*",
            "git.corp.example/team/mod", "corp.example/x", "sub.example.com/a/v2", "gopkg.in/yaml.v3",
            "other.example/x", "example.org/private", "a.b/c", "abc.example/x", "0.example/x",
            "\u00e9t\u00e9.example/x", "example.com/priv\u00e4te", "");

    private final GoFormatPlugin plugin = new GoFormatPlugin();

    @TempDir
    Path dir;

    @Test
    void everyRowAgreesWithTheGoCommandsCode() throws Exception {
        List<String[]> rows = new ArrayList<>();
        for (String pattern : PATTERNS) {
            for (String target : TARGETS) {
                rows.add(new String[] {"prefix", pattern, target});
            }
        }
        // Every glob of every list, alone, against every target, its prefixes and the empty name.
        Set<String> globs = new LinkedHashSet<>();
        for (String pattern : PATTERNS) {
            for (String glob : pattern.split(",", -1)) {
                globs.add(glob.endsWith("/") ? glob.substring(0, glob.length() - 1) : glob);
            }
        }
        Set<String> names = new LinkedHashSet<>();
        for (String target : TARGETS) {
            for (int slash = target.indexOf('/'); slash >= 0; slash = target.indexOf('/', slash + 1)) {
                names.add(target.substring(0, slash));
            }
            names.add(target);
        }
        for (String glob : globs) {
            for (String name : names) {
                rows.add(new String[] {"match", glob, name});
            }
        }

        List<String> go = ask(rows);
        assertThat(go).as("one answer per row").hasSize(rows.size());

        List<String> disagreements = new ArrayList<>();
        Set<String> malformed = new LinkedHashSet<>();
        for (int i = 0; i < rows.size(); i++) {
            String[] row = rows.get(i);
            String want = go.get(i);
            String got;
            if (row[0].equals("prefix")) {
                got = String.valueOf(PathPatterns.matchPrefixPatterns(row[1], row[2]));
                if (!row[1].isEmpty()) {
                    String viaPlugin = String.valueOf(plugin.matchesHints(List.of(row[1]), ref(row[2])));
                    if (!viaPlugin.equals(want)) {
                        disagreements.add("matchesHints([" + row[1] + "], " + row[2] + "): go " + want
                                + ", plugin " + viaPlugin);
                    }
                }
            } else {
                got = javaMatch(row[1], row[2]);
                if (want.equals("error")) {
                    malformed.add(row[1]);
                }
            }
            if (!got.equals(want)) {
                disagreements.add(row[0] + "(" + row[1] + ", " + row[2] + "): go " + want + ", java " + got);
            }
        }
        assertThat(disagreements).as("rows where the Java port and Go disagree").isEmpty();

        // A hint has a problem exactly when Go would ignore it: no glob at all, or a glob path.Match calls malformed.
        for (String pattern : PATTERNS) {
            boolean empty = true;
            boolean bad = false;
            for (String glob : pattern.split(",", -1)) {
                String trimmed = glob.endsWith("/") ? glob.substring(0, glob.length() - 1) : glob;
                empty &= trimmed.isEmpty();
                bad |= !trimmed.isEmpty() && malformed.contains(trimmed);
            }
            assertThat(plugin.hintProblem(pattern).isPresent()).as("hintProblem(%s)", pattern).isEqualTo(empty || bad);
        }
        assertThat(malformed).as("the table has malformed globs").contains("example.com/[", "*[", "example.com/\\");
        assertThat(plugin.hintProblem("example.com/[")).get().asString().contains("example.com/[");
    }

    private List<String> ask(List<String[]> rows) throws Exception {
        StringBuilder input = new StringBuilder();
        for (String[] row : rows) {
            input.append(String.join("\t", row)).append('\n');
        }
        Path file = Files.writeString(dir.resolve("rows.txt"), input.toString());
        GoTool go = GoTool.builder(dir).build();
        XModProgram program = XModProgram.write(go, dir.resolve("program"), PROGRAM);
        return program.run(file.toAbsolutePath().toString()).assertSuccess().stdout().lines().toList();
    }

    private static String javaMatch(String glob, String name) {
        try {
            return String.valueOf(Glob.match(glob, name));
        } catch (Glob.BadPatternException e) {
            return "error";
        }
    }

    private static ArtifactRef ref(String modulePath) {
        return new ArtifactRef(modulePath + "/@v/list", AssetKind.METADATA, modulePath, null, "list");
    }
}
