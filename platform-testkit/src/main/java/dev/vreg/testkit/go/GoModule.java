package dev.vreg.testkit.go;

import dev.vreg.go.hash.DirHash;
import dev.vreg.go.module.ModuleEscaping;
import dev.vreg.go.zip.BadZipException;
import dev.vreg.go.zip.ModuleFile;
import dev.vreg.go.zip.ModuleZipWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
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
     * The files of the module, keyed by their name inside the module ({@code go.mod}, {@code a/b.go}) and sorted
     * byte-wise on their UTF-8 form, the order the go command hashes them in. The zip holds those the go command
     * would put in one: files of nested modules and vendored packages are left out.
     */
    public SortedMap<String, FileContent> files() {
        SortedMap<String, FileContent> all = new TreeMap<>(DirHash.NAME_ORDER);
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
        return ModuleEscaping.escapePath(path);
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
        try {
            return zipWriter().hash(path, version, zipFiles());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash the zip of " + this, e);
        } catch (BadZipException e) {
            throw new IllegalStateException("no zip can be made of " + this + ": " + e.getMessage(), e);
        }
    }

    /** The {@code h1:} hash of the {@code .mod} body that go.sum records on its {@code /go.mod} line. */
    public String goModHash() {
        return DirHash.hashGoMod(modBytes());
    }

    /** The two go.sum lines the go command writes for this version. */
    public List<GoSumLine> goSumLines() {
        return List.of(new GoSumLine(path, version, zipHash()), new GoSumLine(path, version + "/go.mod", goModHash()));
    }

    /**
     * Writes the module zip to {@code target}, streaming to a temporary file beside it that is then renamed, so a
     * server reading the target never sees a half-written zip. Memory use does not depend on the module's size.
     */
    public void writeZip(Path target) {
        try {
            Path parent = target.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path temp = Files.createTempFile(parent, target.getFileName().toString(), ".tmp");
            try {
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp), 64 * 1024)) {
                    zipWriter().write(out, path, version, zipFiles());
                }
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the zip of " + this + " to " + target, e);
        } catch (BadZipException e) {
            throw new IllegalStateException("no zip can be made of " + this + ": " + e.getMessage(), e);
        }
    }

    /** The files as the zip writer takes them. */
    List<ModuleFile> zipFiles() {
        List<ModuleFile> list = new ArrayList<>();
        for (Map.Entry<String, FileContent> file : files().entrySet()) {
            list.add(new FixtureFile(file.getKey(), file.getValue()));
        }
        return list;
    }

    /** Entries dated with the commit time, stored or deflated as asked. */
    private ModuleZipWriter zipWriter() {
        return ModuleZipWriter.DEFAULT
                .withMethod(stored ? ModuleZipWriter.Method.STORE : ModuleZipWriter.Method.DEFLATE)
                .withModified(LocalDateTime.ofInstant(time, ZoneOffset.UTC));
    }

    private String versionPath(String extension) {
        return "/" + escapedPath() + "/@v/" + ModuleEscaping.escapeVersion(version) + "." + extension;
    }

    /** A fixture file offered to the zip writer; its content is generated as it is written. */
    private record FixtureFile(String path, FileContent content) implements ModuleFile {

        @Override
        public Type type() {
            return Type.REGULAR;
        }

        @Override
        public long size() {
            return content.size();
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            content.writeTo(out);
        }
    }

    @Override
    public String toString() {
        return path + "@" + version;
    }
}
