package dev.vreg.host.docs;

import dev.vreg.host.goauth.GoAuthDocTest;
import dev.vreg.testkit.docs.RunnableDoc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The documentation pages whose examples a test runs, and the test that runs each. A runner reads its page through
 * its constant here, and {@link DocumentationCompletenessTest} takes this list as the pages that are run: an example
 * on any other page, or an entry its runner does not use, fails that test.
 */
public enum DocPage {
    README("README.md", DocumentationTest.class),
    GETTING_STARTED("docs/getting-started.md", DocumentationTest.class),
    CONFIGURING_A_GO_REGISTRY("docs/configuring-go-registry.md", DocumentationTest.class),
    USING_GO("docs/using-go.md", DocumentationTest.class),
    GOAUTH("docs/goauth.md", GoAuthDocTest.class),
    POLICIES("docs/policies.md", DocumentationTest.class),
    UPSTREAMS("docs/upstreams.md", DocumentationTest.class),
    GITLAB("docs/upstreams/gitlab.md", DocumentationTest.class),
    ARTIFACTORY("docs/upstreams/artifactory.md", DocumentationTest.class),
    ATHENS("docs/upstreams/athens.md", DocumentationTest.class),
    MIGRATION_FROM_GO_PROXY("docs/migration-from-go-proxy.md", DocumentationTest.class),
    CI("docs/ci.md", DocumentationTest.class),
    VENDORING("docs/vendoring.md", DocumentationTest.class),
    OPERATIONS("docs/operations.md", DocumentationTest.class),
    STATISTICS("docs/statistics.md", DocumentationTest.class);

    /** The repository's root: the reactor's directory, or host-runtime's parent when run from the module. */
    public static final Path ROOT = Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."))
            .toAbsolutePath().normalize();

    private final String page;
    private final Class<?> runner;

    DocPage(String page, Class<?> runner) {
        this.page = page;
        this.runner = runner;
    }

    /** The page relative to the repository's root, as reports name it ({@code docs/goauth.md}). */
    public String page() {
        return page;
    }

    public Path path() {
        return ROOT.resolve(page);
    }

    /** The test class that runs the page's examples. */
    public Class<?> runner() {
        return runner;
    }

    /** The page's runnable blocks, named by {@link #page()} in reports. */
    public RunnableDoc read() {
        try {
            return RunnableDoc.parse(page, Files.readString(path()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path(), e);
        }
    }
}
