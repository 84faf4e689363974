package dev.vreg.testkit.go;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
    private static final String FILE_NAME_PUNCTUATION = "!#$%&()+,-.=@[]^_{}~ ";

    private final String path;
    private final String version;
    private final SortedMap<String, FileContent> files = new TreeMap<>(DirHash.BYTEWISE);
    private final Set<String> packageDirs = new LinkedHashSet<>(List.of(""));
    private Instant time;
    private byte[] goMod;
    private boolean goModSet;
    private boolean stored;

    GoModuleBuilder(String path, String version) {
        ModulePaths.checkPath(path);
        GoVersions.checkFits(path, version);
        this.path = path;
        this.version = version;
        this.time = GoVersions.isPseudo(version) ? GoVersions.pseudoTime(version) : DEFAULT_TIME;
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
        checkNoCollisions(all);
        byte[] mod = goModSet ? goMod : defaultGoMod();
        return new GoModule(path, version, time, mod, all, stored, packages);
    }

    private byte[] defaultGoMod() {
        if (version.endsWith("+incompatible")) {
            return null;
        }
        return ("module " + path + "\n\ngo 1.21\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The rules of {@code module.CheckFilePath}, so the go command does not reject the zip. */
    private void checkFileName(String name) {
        if (name.equals("go.mod")) {
            throw new IllegalArgumentException("set the root go.mod with goMod(...), not file(...)");
        }
        for (String element : name.split("/", -1)) {
            if (element.isEmpty() || element.equals(".") || element.equals("..") || element.endsWith(".")) {
                throw new IllegalArgumentException("bad file name " + name + ": element \"" + element + "\"");
            }
            element.codePoints().forEach(c -> {
                boolean ok = c < 0x80
                        ? Character.isLetterOrDigit(c) || FILE_NAME_PUNCTUATION.indexOf(c) >= 0
                        : Character.isLetter(c);
                if (!ok) {
                    throw new IllegalArgumentException("bad file name " + name + ": character U+"
                            + Integer.toHexString(c));
                }
            });
        }
    }

    /** Rejects names equal up to case, and a name that is both a file and a directory. */
    private void checkNoCollisions(SortedMap<String, FileContent> all) {
        Map<String, String> folded = new HashMap<>();
        for (String name : all.keySet()) {
            String previous = folded.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
            if (previous != null) {
                throw new IllegalArgumentException(previous + " and " + name + " differ only in case");
            }
        }
        for (String name : all.keySet()) {
            for (int slash = name.indexOf('/'); slash >= 0; slash = name.indexOf('/', slash + 1)) {
                String dir = name.substring(0, slash).toLowerCase(Locale.ROOT);
                if (folded.containsKey(dir)) {
                    throw new IllegalArgumentException(dir + " is both a file and a directory");
                }
            }
        }
    }
}
