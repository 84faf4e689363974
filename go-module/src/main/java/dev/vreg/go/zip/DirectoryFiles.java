package dev.vreg.go.zip;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Lists a module's directory as {@code zip.listFilesInDir} does: every regular file, walking in name order, never
 * following links, and without descending into {@code .bzr}, {@code .git}, {@code .hg} and {@code .svn}
 * directories or into directories holding their own go.mod (nested modules). Vendored packages, links and irregular
 * files are reported as omitted.
 */
final class DirectoryFiles {

    private final boolean go124;
    private final List<ModuleFile> files = new ArrayList<>();
    private final List<FileError> omitted = new ArrayList<>();

    private DirectoryFiles(boolean go124) {
        this.go124 = go124;
    }

    /** The files of the module rooted at {@code dir}, and those left out. */
    record Listing(List<ModuleFile> files, List<FileError> omitted) {
    }

    static Listing list(Path dir) throws IOException {
        boolean go124 = false;
        Path goMod = dir.resolve("go.mod");
        if (Files.isRegularFile(goMod)) {
            go124 = GoDirective.atLeastGo124(Files.readAllBytes(goMod));
        }
        DirectoryFiles walk = new DirectoryFiles(go124);
        walk.directory(dir, "");
        return new Listing(List.copyOf(walk.files), List.copyOf(walk.omitted));
    }

    private void directory(Path dir, String slashPath) throws IOException {
        Path[] children;
        try (Stream<Path> list = Files.list(dir)) {
            children = list.toArray(Path[]::new);
        }
        // filepath.Walk visits names in byte order.
        Arrays.sort(children, (a, b) -> Arrays.compareUnsigned(name(a), name(b)));
        for (Path child : children) {
            String childPath = (slashPath.isEmpty() ? "" : slashPath + "/") + child.getFileName();
            entry(child, childPath);
        }
    }

    private void entry(Path file, String slashPath) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (FileSelection.isVendoredPackage(slashPath, go124)) {
            // As in the go command, the walk still goes through a vendored directory, omitting all it holds.
            omitted.add(new FileError(slashPath, "file is in vendor directory"));
            if (a.isDirectory()) {
                directory(file, slashPath);
            }
            return;
        }
        if (a.isDirectory()) {
            switch (file.getFileName().toString()) {
                case ".bzr", ".git", ".hg", ".svn" -> {
                    omitted.add(new FileError(slashPath, "directory is a version control repository"));
                    return;
                }
                default -> {
                }
            }
            Path goMod = file.resolve("go.mod");
            if (Files.exists(goMod, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(goMod, LinkOption.NOFOLLOW_LINKS)) {
                omitted.add(new FileError(slashPath, "directory is in another module"));
                return;
            }
            directory(file, slashPath);
            return;
        }
        if (!a.isRegularFile()) {
            omitted.add(new FileError(slashPath, "not a regular file"));
            return;
        }
        files.add(ModuleFile.of(slashPath, file));
    }

    private static byte[] name(Path p) {
        return p.getFileName().toString().getBytes(StandardCharsets.UTF_8);
    }
}
