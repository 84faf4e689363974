package dev.vreg.upstream.gitlab;

import dev.vreg.testkit.gitlab.GitLabStandIn;
import dev.vreg.testkit.gitlab.GitRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The repositories the GitLab tests serve, each a layout the go command treats in its own way. All live under
 * {@code git.example.test/group/...}, all private.
 */
final class TestProjects {

    static final String HOST = GitLabStandIn.MODULE_HOST;
    static final String LICENSE = "Copyright the vreg test authors.\nPermission is granted.\n";

    /** Commits of the root project: v1.0.0, v1.1.0 and the head of main, one commit past v1.1.0. */
    static String rootV100;
    static String rootMain;
    static String rootFeature;

    private TestProjects() {
    }

    static void create(GitLabStandIn gitlab, Path dir) {
        gitlab.project("group/root", root(dir.resolve("root")), false);
        gitlab.project("group/mono", mono(dir.resolve("mono")), false);
        gitlab.project("group/majors", majors(dir.resolve("majors")), false);
        gitlab.project("group/branchy", branchy(dir.resolve("branchy")), false);
        gitlab.project("group/legacy", legacy(dir.resolve("legacy")), false);
        gitlab.project("group/sub/deep", deep(dir.resolve("deep")), false);
    }

    /** A root module with vendored packages, a nested module, a symbolic link and a tag past which main moved. */
    private static GitRepository root(Path dir) {
        GitRepository repo = GitRepository.init(dir);
        repo.write("go.mod", "module " + HOST + "/group/root\n\ngo 1.21\n")
                .write("LICENSE", LICENSE)
                .write("root.go", "package root\n\n// Version says which commit this is.\nconst Version = \"one\"\n")
                .write("internal/util/util.go", "package util\n\nfunc Twice(n int) int { return 2 * n }\n")
                .write("vendor/modules.txt", "# example.com/dep v1.0.0\n## explicit\nexample.com/dep\n")
                .write("vendor/example.com/dep/dep.go", "package dep\n")
                .write("nested/go.mod", "module " + HOST + "/group/root/nested\n")
                .write("nested/nested.go", "package nested\n")
                .write("docs/readme.txt", "documentation\r\nwith CRLF line ends\r\n");
        symlink(dir, "link.go", "root.go");
        rootV100 = repo.commit("v1.0.0");
        repo.tag("v1.0.0");
        repo.write("root.go", "package root\n\n// Version says which commit this is.\nconst Version = \"two\"\n");
        repo.commit("v1.1.0");
        repo.annotatedTag("v1.1.0", "release v1.1.0");
        repo.write("root.go", "package root\n\n// Version says which commit this is.\nconst Version = \"three\"\n");
        rootMain = repo.commit("after v1.1.0");
        repo.checkout("feature");
        repo.write("feature.go", "package root\n\nconst Feature = true\n");
        rootFeature = repo.commit("a feature");
        repo.checkout("main");
        return repo;
    }

    /** Modules in subdirectories with prefixed tags; the LICENSE only at the repository root. */
    private static GitRepository mono(Path dir) {
        GitRepository repo = GitRepository.init(dir);
        repo.write("LICENSE", LICENSE)
                .write("README.md", "monorepo\n")
                .write("sub/go.mod", "module " + HOST + "/group/mono/sub\n\ngo 1.22\n")
                .write("sub/sub.go", "package sub\n\nconst Name = \"sub\"\n")
                .write("sub/vendor/modules.txt", "# nothing\n")
                .write("sub/vendor/example.com/x/x.go", "package x\n")
                .write("other/go.mod", "module " + HOST + "/group/mono/other\n")
                .write("other/other.go", "package other\n")
                .write("other/LICENSE", "the other module's own licence\n");
        repo.commit("modules");
        repo.tag("sub/v1.2.0").tag("other/v0.3.0").tag("v9.9.9");
        repo.write("sub/sub.go", "package sub\n\nconst Name = \"sub, later\"\n");
        repo.commit("sub moves on");
        return repo;
    }

    /** v1 at the root, v2 in the major subdirectory v2/. */
    private static GitRepository majors(Path dir) {
        GitRepository repo = GitRepository.init(dir);
        repo.write("LICENSE", LICENSE)
                .write("go.mod", "module " + HOST + "/group/majors\n\ngo 1.21\n")
                .write("majors.go", "package majors\n\nconst Major = 1\n");
        repo.commit("v1");
        repo.tag("v1.0.0");
        repo.write("v2/go.mod", "module " + HOST + "/group/majors/v2\n\ngo 1.21\n")
                .write("v2/majors.go", "package majors\n\nconst Major = 2\n");
        repo.commit("v2 in a subdirectory");
        repo.tag("v2.0.0");
        return repo;
    }

    /** The major branch layout: the root go.mod declares /v2 from v2.0.0 on. */
    private static GitRepository branchy(Path dir) {
        GitRepository repo = GitRepository.init(dir);
        repo.write("go.mod", "module " + HOST + "/group/branchy\n\ngo 1.21\n")
                .write("branchy.go", "package branchy\n\nconst Major = 1\n");
        repo.commit("v1");
        repo.tag("v1.0.0");
        repo.write("go.mod", "module " + HOST + "/group/branchy/v2\n\ngo 1.21\n")
                .write("branchy.go", "package branchy\n\nconst Major = 2\n");
        repo.commit("v2");
        repo.tag("v2.0.0");
        repo.write("extra.go", "package branchy\n\nconst Extra = 1\n");
        repo.commit("v2.1");
        repo.tag("v2.1.0");
        repo.write("extra.go", "package branchy\n\nconst Extra = 2\n");
        repo.commit("past v2.1.0");
        return repo;
    }

    /** No go.mod at all: v2 and v3 tags are +incompatible versions. */
    private static GitRepository legacy(Path dir) {
        GitRepository repo = GitRepository.init(dir);
        repo.write("legacy.go", "package legacy\n\nconst Release = 1\n");
        repo.commit("one");
        repo.tag("v1.0.0");
        repo.write("legacy.go", "package legacy\n\nconst Release = 2\n");
        repo.commit("two");
        repo.tag("v2.0.0");
        repo.write("legacy.go", "package legacy\n\nconst Release = 3\n");
        repo.commit("three");
        repo.tag("v3.1.0");
        return repo;
    }

    /** A project in a subgroup, with a module in its subdirectory: the longest project path must win. */
    private static GitRepository deep(Path dir) {
        GitRepository repo = GitRepository.init(dir);
        repo.write("pkg/go.mod", "module " + HOST + "/group/sub/deep/pkg\n")
                .write("pkg/pkg.go", "package pkg\n");
        repo.commit("deep");
        repo.tag("pkg/v0.1.0");
        return repo;
    }

    private static void symlink(Path dir, String link, String target) {
        try {
            Files.createSymbolicLink(dir.resolve(link), Path.of(target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
