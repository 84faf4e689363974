package dev.vreg.host.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.testkit.docs.Fence;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No example of the documentation goes unrun by accident. Over README.md and every {@code docs/**}{@code /*.md}:
 *
 * <ul>
 *   <li>every fenced block names its language, so commands can be told from the rest;</li>
 *   <li>every shell block ({@code sh}, {@code bash}, {@code shell}, {@code console}, {@code zsh}) and every YAML
 *       block ({@code yaml}, {@code yml}: the configuration files and CI jobs a reader applies) is either runnable
 *       ({@code {run}}, {@code {run fails}}, {@code {file=PATH}}) on a page a test runs, or marked
 *       {@code {norun="why"}} with a reason;</li>
 *   <li>a runnable block ({@code {run}}, {@code {output}}, {@code {file}}) is on a page a test runs.</li>
 * </ul>
 *
 * <p>The pages a test runs are those of {@link DocPage}, which the runners read their pages through; an entry whose
 * runner does not name it fails here too. Other languages are shown, not run: JSON (request and answer bodies,
 * dashboard snippets), PromQL, SQL, HTTP request lines, Java, {@code text} (output, file contents, synopses). A
 * {@code {file}} block counts as run when its page is run: what checks the file is the page's test.
 */
class DocumentationCompletenessTest {

    static final Set<String> SHELL = Set.of("sh", "bash", "shell", "console", "zsh");
    static final Set<String> YAML = Set.of("yaml", "yml");

    @Test
    void everyShellAndYamlExampleIsRunOrSaysWhyNot() throws Exception {
        Set<String> run = Stream.of(DocPage.values()).map(DocPage::page).collect(Collectors.toSet());
        List<String> problems = new ArrayList<>();
        for (String page : pages()) {
            problems.addAll(problems(page, Files.readString(DocPage.ROOT.resolve(page)), run.contains(page)));
        }
        assertThat(problems).as("fenced blocks of the documentation that no test runs").isEmpty();
    }

    @Test
    void everyListedPageHasExamplesAndItsRunnerReadsIt() throws Exception {
        for (DocPage page : DocPage.values()) {
            assertThat(page.path()).as(page + " names a page").isRegularFile();
            assertThat(page.read().blocks()).as(page.page() + " has blocks to run").isNotEmpty();
            Path source = DocPage.ROOT.resolve("host-runtime/src/test/java")
                    .resolve(page.runner().getName().replace('.', '/') + ".java");
            assertThat(Files.readString(source)).as(page.runner().getSimpleName() + " runs " + page.page())
                    .contains("DocPage." + page.name());
        }
    }

    @Test
    void theCheckNamesTheFileAndLineOfEachBlockNothingRuns() {
        String markdown = String.join("\n",
                "# A page",
                "```sh",
                "curl http://127.0.0.1:8080/readyz",
                "```",
                "```yaml",
                "cache: {}",
                "```",
                "```sh {norun=\"it needs a cluster\"}",
                "helm install vreg deploy/helm/vreg",
                "```",
                "```json",
                "{\"name\": \"acme\"}",
                "```",
                "```",
                "no language",
                "```",
                "```sh {norun=\"\"}",
                "x",
                "```",
                "```sh {run}",
                "true",
                "```") + "\n";
        assertThat(problems("docs/page.md", markdown, true)).containsExactly(
                "docs/page.md:2: a sh block that no test runs: mark it {run} or {norun=\"why\"}",
                "docs/page.md:5: a yaml block that no test runs: mark it {file=PATH} or {norun=\"why\"}",
                "docs/page.md:14: a fenced block without a language: name it (text, json, sh, ...)",
                "docs/page.md:17: {norun} without a reason");
        assertThat(problems("docs/page.md", markdown, false)).contains(
                "docs/page.md:20: a runnable block on a page no test runs: list the page in DocPage and run it");
    }

    /** README.md and the Markdown files under docs/, relative to the repository's root, in order. */
    static List<String> pages() throws Exception {
        List<String> pages = new ArrayList<>(List.of("README.md"));
        try (Stream<Path> files = Files.walk(DocPage.ROOT.resolve("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).map(p -> DocPage.ROOT.relativize(p).toString())
                    .sorted().forEach(pages::add);
        }
        return pages;
    }

    /** What is wrong with the fenced blocks of one page, each naming its file and line. */
    static List<String> problems(String page, String markdown, boolean pageIsRun) {
        List<String> problems = new ArrayList<>();
        for (Fence fence : Fence.parse(page, markdown)) {
            String where = fence.where(page) + ": ";
            String language = fence.language();
            if (language.isEmpty()) {
                problems.add(where + "a fenced block without a language: name it (text, json, sh, ...)");
            }
            if (fence.norun() != null) {
                if (fence.norun().isBlank()) {
                    problems.add(where + "{norun} without a reason");
                }
                continue;
            }
            if (fence.marked()) {
                if (!pageIsRun) {
                    problems.add(where + "a runnable block on a page no test runs: list the page in DocPage and "
                            + "run it");
                }
                continue;
            }
            if (SHELL.contains(language)) {
                problems.add(where + "a " + language + " block that no test runs: mark it {run} or {norun=\"why\"}");
            } else if (YAML.contains(language)) {
                problems.add(where + "a " + language + " block that no test runs: mark it {file=PATH} or "
                        + "{norun=\"why\"}");
            }
        }
        return problems;
    }
}
