package dev.vreg.testkit.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocRunnerTest {

    @TempDir
    Path dir;

    static RunnableDoc doc(String... lines) {
        return RunnableDoc.parse("guide.md", String.join("\n", lines) + "\n");
    }

    DocRun run(RunnableDoc doc) {
        return DocRunner.in(dir.resolve("session")).env("GREETING", "hello").timeout(Duration.ofSeconds(20))
                .run(doc);
    }

    @Test
    void onlyMarkedBlocksAreRunnableAndEachKnowsItsLine() {
        RunnableDoc doc = doc(
                "# Title",
                "```sh",
                "rm -rf /",
                "```",
                "```sh {run}",
                "echo one",
                "```",
                "```text {output}",
                "one",
                "```",
                "  ```text {file=conf/a.txt mode=600}",
                "  indented",
                "  ```",
                "~~~sh {run fails}",
                "false",
                "~~~",
                "```sh {norun=\"it starts a server in the foreground\"}",
                "java -jar vreg.jar",
                "```");
        assertThat(doc.blocks()).extracting(DocBlock::line).containsExactly(5, 11, 14);
        assertThat(doc.blocks()).extracting(DocBlock::kind)
                .containsExactly(DocBlock.Kind.RUN, DocBlock.Kind.FILE, DocBlock.Kind.RUN_FAILS);
        assertThat(doc.blocks().get(0).expected()).isEqualTo("one\n");
        assertThat(doc.blocks().get(1).path()).isEqualTo("conf/a.txt");
        assertThat(doc.blocks().get(1).mode()).isEqualTo("600");
        assertThat(doc.blocks().get(1).text()).isEqualTo("indented\n");
    }

    @Test
    void everyFencedBlockIsListedWithItsLanguageAndMarkers() {
        java.util.List<Fence> fences = Fence.parse("guide.md", String.join("\n",
                "```",
                "plain",
                "```",
                "  ```sh {run}",
                "  echo one",
                "  ```",
                "~~~yaml {norun=\"an example, not a file\"}",
                "a: 1",
                "~~~",
                "```sh {norun}",
                "x",
                "```") + "\n");
        assertThat(fences).extracting(Fence::line).containsExactly(1, 4, 7, 10);
        assertThat(fences).extracting(Fence::language).containsExactly("", "sh", "yaml", "sh");
        assertThat(fences).extracting(Fence::marked).containsExactly(false, true, true, true);
        assertThat(fences.get(1).text()).isEqualTo("echo one\n");
        assertThat(fences.get(1).attributes()).containsOnlyKeys("run");
        assertThat(fences).extracting(Fence::norun).containsExactly(null, null, "an example, not a file", "");
    }

    @Test
    void malformedMarkersAreRefusedWithTheirLine() {
        assertThatThrownBy(() -> doc("text", "```sh {runn}", "x", "```"))
                .hasMessage("guide.md:2: a block marked {runn} must be {run}, {run fails}, {output}, {file=PATH} "
                        + "or {norun=\"WHY\"}");
        assertThatThrownBy(() -> doc("```sh {norun}", "x", "```"))
                .hasMessage("guide.md:1: {norun=\"WHY\"} needs a reason");
        assertThatThrownBy(() -> doc("```sh {norun=\"a server\" run}", "x", "```"))
                .hasMessageContaining("guide.md:1: unknown attribute 'run'");
        assertThatThrownBy(() -> doc("```text {output}", "x", "```"))
                .hasMessageContaining("guide.md:1: an {output} block must follow");
        assertThatThrownBy(() -> doc("```sh {run mode=600}", "x", "```"))
                .hasMessageContaining("guide.md:1: unknown attribute 'mode'");
        assertThatThrownBy(() -> doc("```text {file=a mode=rw}", "x", "```"))
                .hasMessageContaining("mode must be three octal digits");
        assertThatThrownBy(() -> doc("", "```sh {run}", "echo"))
                .hasMessageContaining("guide.md:2: the fenced block is never closed");
    }

    @Test
    void blocksShareOneSessionItsDirectoryExportsAndFiles() throws Exception {
        DocRun run = run(doc(
                "```sh {run}",
                "mkdir -p work && cd work",
                "export COLOUR=blue",
                "```",
                "```text {file=~/.config/app.conf}",
                "colour=${GREETING}",
                "```",
                "```text {file=work/netrc mode=600}",
                "machine example.com password ${GREETING}",
                "```",
                "```sh {run}",
                "pwd | sed 's|.*/||'",
                "echo \"$COLOUR $GREETING\"",
                "cat netrc ~/.config/app.conf",
                "echo to-stderr >&2",
                "```",
                "```text {output}",
                "work",
                "blue hello",
                "machine example.com password ${GREETING}",
                "colour=hello",
                "to-stderr",
                "```"));
        run.assertPassed();
        assertThat(run.results()).hasSize(4);
        Path netrc = dir.resolve("session/work/netrc");
        assertThat(Files.readString(netrc)).isEqualTo("machine example.com password hello\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(netrc))).isEqualTo("rw-------");
        assertThat(run.results().get(3).output()).contains("blue hello");
        assertThat(dir.resolve("session/.home/.config/app.conf")).hasContent("colour=hello");
    }

    @Test
    void theFirstFailingBlockIsReportedWithItsLineCommandsAndOutputAndTheRestDoesNotRun() {
        DocRun run = run(doc(
                "Intro",
                "",
                "```sh {run}",
                "echo fine",
                "```",
                "```sh {run}",
                "echo about to fail",
                "ls /does/not/exist",
                "```",
                "```sh {run}",
                "touch should-not-exist",
                "```"));
        assertThat(run.passed()).isFalse();
        assertThat(run.results()).hasSize(2);
        assertThat(run.failure().block().line()).isEqualTo(6);
        assertThat(run.failure().status()).isNotZero();
        assertThatThrownBy(run::assertPassed)
                .hasMessageStartingWith("guide.md:6: the block exited 2")
                .hasMessageContaining("ls /does/not/exist")
                .hasMessageContaining("about to fail");
        assertThat(dir.resolve("session/should-not-exist")).doesNotExist();
    }

    @Test
    void runFailsNeedsAFailureAndOutputIsComparedWithEllipses() {
        run(doc("```sh {run fails}", "echo refused; false", "```", "```text {output}", "refused", "```"))
                .assertPassed();
        assertThatThrownBy(() -> run(doc("```sh {run fails}", "true", "```")).assertPassed())
                .hasMessageContaining("guide.md:1: the block succeeded, but is marked {run fails}");
        run(doc("```sh {run}", "echo start; echo at 12:00:01 by pid $$; echo x; echo y; echo end", "```",
                "```text {output}", "start", "at ... by pid ...", "...", "end", "```")).assertPassed();
        assertThatThrownBy(() -> run(doc("```sh {run}", "echo other", "```", "```text {output}", "expected",
                "```")).assertPassed())
                .hasMessageContaining("printed other output than its {output} block:\nexpected")
                .hasMessageContaining("--- output ---\nother");
    }

    @Test
    void rewritesApplyToCommandsFilesAndExpectedOutput() {
        DocRun run = DocRunner.in(dir.resolve("rewrite")).rewrite("http://127.0.0.1:8080", "http://127.0.0.1:4711")
                .rewrite("vreg.example.com", "127.0.0.1:4712").timeout(Duration.ofSeconds(20))
                .run(doc("```text {file=netrc}", "machine vreg.example.com", "```",
                        "```sh {run}", "echo http://127.0.0.1:8080/go; cat netrc", "```",
                        "```text {output}", "http://127.0.0.1:8080/go", "machine vreg.example.com", "```",
                        "```sh {run}", "echo http://127.0.0.1:4711", "```",
                        "```text {output}", "http://127.0.0.1:8080", "```"));
        run.assertPassed();
        assertThat(run.results().get(1).output()).isEqualTo("http://127.0.0.1:4711/go\nmachine 127.0.0.1:4712\n");
        assertThatThrownBy(() -> DocRunner.in(dir.resolve("rewrite-other")).rewrite("a.example", "b.example")
                .run(doc("```sh {run}", "echo a.example", "```", "```text {output}", "c.example", "```"))
                .assertPassed()).hasMessageContaining("printed other output than its {output} block:\nc.example");
    }

    @Test
    void aBlockThatHangsOrEndsTheSessionFails() {
        DocRun hung = DocRunner.in(dir.resolve("hang")).timeout(Duration.ofSeconds(1))
                .run(doc("```sh {run}", "sleep 30", "```"));
        assertThat(hung.failure().failure()).startsWith("did not finish within");
        DocRun exited = run(doc("```sh {run}", "exit 0", "```", "```sh {run}", "true", "```"));
        assertThat(exited.failure().failure()).contains("ended the shell session");
        assertThat(exited.failure().block().line()).isEqualTo(1);
    }

    @Test
    void theEnvironmentIsOnlyPathHomeAndWhatTheTestGives() {
        DocRun run = run(doc("```sh {run}", "env | cut -d= -f1 | grep -v '^_$\\|^PWD$\\|^SHLVL$\\|^OLDPWD$' | sort",
                "```", "```text {output}", "GREETING", "HOME", "PATH", "```"));
        run.assertPassed();
    }

    @Test
    void outputMatchingRules() {
        assertThat(OutputMatch.matches("a\n...\n", "a\n")).isTrue();
        assertThat(OutputMatch.matches("a\n...\nz\n", "a\nb\nc\nz\n")).isTrue();
        assertThat(OutputMatch.matches("a\n", "a   \n\n")).isTrue();
        assertThat(OutputMatch.matches("a\n", "a\nb\n")).isFalse();
        assertThat(OutputMatch.lineMatches("x...y", "xy")).isTrue();
        assertThat(OutputMatch.lineMatches("x...x", "x")).isFalse();
        assertThat(OutputMatch.lineMatches("...b...", "abc")).isTrue();
    }
}
