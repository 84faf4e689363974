package dev.vreg.testkit.go;

import dev.vreg.go.hash.DirHash;
import dev.vreg.go.module.Module;
import dev.vreg.go.module.ModulePath;
import dev.vreg.go.module.PseudoVersion;
import dev.vreg.go.zip.FileError;
import dev.vreg.go.zip.ModuleFile;
import dev.vreg.go.zip.ModuleZipWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Describes one {@link GoModule} version. Defaults: a go.mod of {@code module <path>} and {@code go 1.21} (none for
 * {@code +incompatible} versions), a Go package at the module root, Deflate compression, and a commit time of
 * 2024-01-01T00:00:00Z (the encoded time for pseudo-versions).
 */
public final class GoModuleBuilder {

    private static final Instant DEFAULT_TIME = Instant.parse("2024-01-01T00:00:00Z");

    private final String path;
    private final String version;
    private final SortedMap<String, FileContent> files = new TreeMap<>(DirHash.NAME_ORDER);
    private final Set<String> packageDirs = new LinkedHashSet<>(List.of(""));
    private Instant time;
    private byte[] goMod;
    private boolean goModSet;
    private boolean stored;

    GoModuleBuilder(String path, String version) {
        ModulePath.checkPath(path);
        Module.checkServable(path, version);
        this.path = path;
        this.version = version;
        this.time = PseudoVersion.time(version).orElse(DEFAULT_TIME);
    }

    /** The commit time reported in {@code .info}, truncated to whole seconds. */
    public GoModuleBuilder time(Instant commitTime) {
        this.time = commitTime.truncatedTo(ChronoUnit.SECONDS);
        return this;
    }

    /** The go.mod text, served as {@code .mod} and stored at the zip root. */
    public GoModuleBuilder goMod(String text) {
        return goMod(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The go.mod bytes, served as {@code .mod} and stored at the zip root. */
    public GoModuleBuilder goMod(byte[] bytes) {
        this.goMod = bytes.clone();
        this.goModSet = true;
        return this;
    }

    /** No go.mod: the zip has none and {@code .mod} is the synthetic {@code module <path>\n}. */
    public GoModuleBuilder noGoMod() {
        this.goMod = null;
        this.goModSet = true;
        return this;
    }

    /** Adds a text file (UTF-8) at {@code name}, relative to the module root ({@code docs/README.md}). */
    public GoModuleBuilder file(String name, String text) {
        return file(name, FileContent.utf8(text));
    }

    /** Adds a file with the given bytes. */
    public GoModuleBuilder file(String name, byte[] bytes) {
        return file(name, FileContent.bytes(bytes));
    }

    /** Adds a file whose content is written on demand, e.g. {@link FileContent#pseudoRandom}. */
    public GoModuleBuilder file(String name, FileContent content) {
        checkFileName(name);
        if (files.putIfAbsent(name, Objects.requireNonNull(content, "content")) != null) {
            throw new IllegalArgumentException(name + " is already in " + path + "@" + version);
        }
        return this;
    }

    /** Adds a generated Go package in {@code dir} (relative to the module root), importable by consumers. */
    public GoModuleBuilder goPackage(String dir) {
        if (!dir.isEmpty()) {
            checkFileName(dir);
        }
        packageDirs.add(dir);
        return this;
    }

    /** Leaves out the Go package the module root has by default. */
    public GoModuleBuilder withoutDefaultPackage() {
        packageDirs.remove("");
        return this;
    }

    /**
     * Stores zip entries uncompressed. Use it for large incompressible content, where deflating costs time and
     * gains nothing.
     */
    public GoModuleBuilder stored() {
        this.stored = true;
        return this;
    }

    /** Deflates zip entries (the default). */
    public GoModuleBuilder deflated() {
        this.stored = false;
        return this;
    }

    /** The module version. */
    public GoModule build() {
        SortedMap<String, FileContent> all = new TreeMap<>(files);
        List<String> packages = new ArrayList<>();
        for (String dir : packageDirs) {
            String name = FixturePackages.fileName(path, dir);
            if (all.putIfAbsent(name, FileContent.utf8(FixturePackages.source(path, version, dir))) != null) {
                throw new IllegalArgumentException(name + " is both a file and the generated package source");
            }
            packages.add(FixturePackages.importPath(path, dir));
        }
        byte[] mod = goModSet ? goMod : defaultGoMod();
        GoModule module = new GoModule(path, version, time, mod, all, stored, packages);
        String problem = ModuleZipWriter.DEFAULT.checkFiles(module.zipFiles()).problem();
        if (problem != null) {
            throw new IllegalArgumentException("no zip can be made of " + module + ": " + problem);
        }
        return module;
    }

    private byte[] defaultGoMod() {
        if (version.endsWith("+incompatible")) {
            return null;
        }
        return ("module " + path + "\n\ngo 1.21\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The go command's rules for a file name in a module zip (clean, relative, {@code module.CheckFilePath}). */
    private void checkFileName(String name) {
        if (name.equals("go.mod")) {
            throw new IllegalArgumentException("set the root go.mod with goMod(...), not file(...)");
        }
        List<FileError> invalid = ModuleZipWriter.DEFAULT.checkFiles(List.of(ModuleFile.of(name, new byte[0])))
                .invalid();
        if (!invalid.isEmpty()) {
            throw new IllegalArgumentException("bad file name " + invalid.get(0));
        }
    }
}
