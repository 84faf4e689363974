package dev.vreg.testkit.go;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One version of a fixture Go module, and the three files a GOPROXY serves for it: {@code .info}, {@code .mod} and
 * {@code .zip}, byte-exact as a real proxy produces them.
 *
 * <p>Built with {@link #builder(String, String)}:
 * <pre>{@code
 * GoModule m = GoModule.builder("example.com/Upper/Case", "v1.2.0").file("data/a.txt", "hello").build();
 * m.writeZip(dir.resolve("m.zip"));
 * }</pre>
 * Unless told otherwise a module contains one Go package at its root whose {@code Version()} function returns
 * {@code <import path>@<version>}, so that a consumer compiled against it shows which version it got.
 */
public final class GoModule {

    private final String path;
    private final String version;
    private final Instant time;
    private final byte[] goMod;
    private final SortedMap<String, FileContent> files;
    private final boolean stored;
    private final List<String> packages;

    GoModule(String path, String version, Instant time, byte[] goMod, SortedMap<String, FileContent> files,
             boolean stored, List<String> packages) {
        this.path = path;
        this.version = version;
        this.time = time;
        this.goMod = goMod;
        this.files = Collections.unmodifiableSortedMap(files);
        this.stored = stored;
        this.packages = List.copyOf(packages);
    }

    /**
     * Starts describing a module version.
     *
     * @param path    the module path, in its real case ({@code example.com/Upper/Case}, {@code example.com/m/v2},
     *                {@code gopkg.in/yaml.v3})
     * @param version a canonical version that fits the path ({@code v1.0.0}, {@code v1.1.0-rc.1},
     *                {@code v0.0.0-20240102030405-abcdefabcdef}, {@code v3.0.0+incompatible})
     * @throws IllegalArgumentException when the go command would refuse the path or the version for it
     */
    public static GoModuleBuilder builder(String path, String version) {
        return new GoModuleBuilder(path, version);
    }

    /** The module path, unescaped. */
    public String path() {
        return path;
    }

    /** The canonical version. */
    public String version() {
        return version;
    }

    /** The commit time reported in {@code .info}. */
    public Instant time() {
        return time;
    }

    /** Whether the module has its own go.mod; {@code +incompatible} versions have none. */
    public boolean hasGoMod() {
        return goMod != null;
    }

    /** Whether the zip stores its entries uncompressed instead of deflating them. */
    public boolean stored() {
        return stored;
    }

    /** The {@code .mod} body: the go.mod bytes, or exactly {@code module <path>\n} when the module has none. */
    public byte[] modBytes() {
        return goMod != null ? goMod.clone() : ("module " + path + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The {@code .info} body: {@code {"Version":"v1.0.0","Time":"2024-01-01T00:00:00Z"}}. */
    public String infoJson() {
        return "{\"Version\":\"" + version + "\",\"Time\":\"" + time + "\"}";
    }

    /**
     * The files of the module zip, keyed by their name inside the module ({@code go.mod}, {@code a/b.go}) and sorted
     * byte-wise on their UTF-8 form, the order the go command hashes them in.
     */
    public SortedMap<String, FileContent> files() {
        SortedMap<String, FileContent> all = new TreeMap<>(DirHash.BYTEWISE);
        all.putAll(files);
        if (goMod != null) {
            all.put("go.mod", FileContent.bytes(goMod));
        }
        return Collections.unmodifiableSortedMap(all);
    }

    /** The name of a file's zip entry: {@code <path>@<version>/<file>}, with the path unescaped. */
    public String zipEntryName(String file) {
        return path + "@" + version + "/" + file;
    }

    /** The import paths of the generated Go packages, each with a {@code Version()} function. */
    public List<String> packages() {
        return packages;
    }

    /** The bang-escaped module path ({@code example.com/!upper/!case}). */
    public String escapedPath() {
        return ModulePaths.escape(path);
    }

    /** The request path of the module's version list, {@code /<escaped path>/@v/list}. */
    public String listPath() {
        return "/" + escapedPath() + "/@v/list";
    }

    /** The request path of the module's {@code @latest} answer. */
    public String latestPath() {
        return "/" + escapedPath() + "/@latest";
    }

    /** The request path of this version's {@code .info}. */
    public String infoPath() {
        return versionPath("info");
    }

    /** The request path of this version's {@code .mod}. */
    public String modPath() {
        return versionPath("mod");
    }

    /** The request path of this version's {@code .zip}. */
    public String zipPath() {
        return versionPath("zip");
    }

    /** The {@code h1:} hash of the zip that go.sum records (computed over the files, not over zip bytes). */
    public String zipHash() {
        return DirHash.ofModule(this);
    }

    /** The {@code h1:} hash of the {@code .mod} body that go.sum records on its {@code /go.mod} line. */
    public String goModHash() {
        return DirHash.ofGoMod(modBytes());
    }

    /** The two go.sum lines the go command writes for this version. */
    public List<GoSumLine> goSumLines() {
        return List.of(new GoSumLine(path, version, zipHash()), new GoSumLine(path, version + "/go.mod", goModHash()));
    }

    /** Writes the module zip to {@code target}, streaming; the file appears only once it is complete. */
    public void writeZip(Path target) {
        try {
            GoModuleZip.write(this, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the zip of " + this + " to " + target, e);
        }
    }

    private String versionPath(String extension) {
        return "/" + escapedPath() + "/@v/" + ModulePaths.escape(version) + "." + extension;
    }

    @Override
    public String toString() {
        return path + "@" + version;
    }
}
