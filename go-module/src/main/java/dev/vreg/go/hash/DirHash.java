package dev.vreg.go.hash;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The go command's directory hash, version 1 ({@code dirhash.Hash1}): the {@code h1:} values of go.sum and the
 * checksum database.
 *
 * <p>Over every file, sorted by name as UTF-8 bytes, a summary line {@code hex(sha256(content))  name\n} is
 * written; the hash is {@code "h1:" + base64(sha256(summary))}. Names are compared as bytes because that is how Go
 * sorts strings; Java's UTF-16 order differs once characters beyond U+FFFF meet characters in U+E000–U+FFFF.
 */
public final class DirHash {

    /** The file name go.sum hashes a module's go.mod under. */
    public static final String GO_MOD = "go.mod";

    /** Go's order of strings, by their UTF-8 bytes, in which file names are hashed. */
    public static final Comparator<String> NAME_ORDER = (a, b) ->
            Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    /**
     * One file of a hashed tree.
     *
     * @param name   the file name as it appears in the summary
     * @param sha256 the SHA-256 of its content
     */
    public record FileDigest(String name, byte[] sha256) {

        public FileDigest {
            if (name.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("dirhash: filenames with newlines are not supported");
            }
            if (sha256.length != 32) {
                throw new IllegalArgumentException("not a SHA-256 digest");
            }
            sha256 = sha256.clone();
        }

        @Override
        public byte[] sha256() {
            return sha256.clone();
        }
    }

    private DirHash() {
    }

    /** The h1 hash of the given files, in any order. */
    public static String hash1(Collection<FileDigest> files) {
        record Named(byte[] utf8, FileDigest file) {
        }
        List<Named> sorted = new ArrayList<>(files.size());
        for (FileDigest file : files) {
            sorted.add(new Named(file.name.getBytes(StandardCharsets.UTF_8), file));
        }
        sorted.sort((a, b) -> Arrays.compareUnsigned(a.utf8, b.utf8));
        MessageDigest summary = sha256();
        HexFormat hex = HexFormat.of();
        byte[] separator = {' ', ' '};
        for (Named named : sorted) {
            summary.update(hex.formatHex(named.file.sha256).getBytes(StandardCharsets.US_ASCII));
            summary.update(separator);
            summary.update(named.utf8);
            summary.update((byte) '\n');
        }
        return "h1:" + Base64.getEncoder().encodeToString(summary.digest());
    }

    /**
     * The h1 hash of a zip file as the go command computes it for go.sum: every entry under its full name
     * ({@code module@version/path}), over the uncompressed content. It checks nothing else: use
     * {@code ZipCheck} for archives from an untrusted source.
     *
     * @throws IOException when the file is not a readable zip, or two entries share a name
     */
    public static String hashZip(Path zip) throws IOException {
        List<FileDigest> files = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try (ZipFile z = new ZipFile(zip.toFile(), StandardCharsets.UTF_8)) {
            for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                if (!seen.add(entry.getName())) {
                    throw new ZipException("duplicate zip entry " + entry.getName());
                }
                try (InputStream in = z.getInputStream(entry)) {
                    files.add(new FileDigest(entry.getName(), digest(in)));
                }
            }
        }
        return hash1(files);
    }

    /** The go.sum hash of a go.mod body ({@code <module> <version>/go.mod h1:...}). */
    public static String hashGoMod(byte[] goMod) {
        return hash1(List.of(new FileDigest(GO_MOD, sha256().digest(goMod))));
    }

    /** The go.sum hash of a go.mod body read from a stream. */
    public static String hashGoMod(InputStream goMod) throws IOException {
        return hash1(List.of(new FileDigest(GO_MOD, digest(goMod))));
    }

    /** The SHA-256 of everything {@code in} yields. */
    public static byte[] digest(InputStream in) throws IOException {
        MessageDigest md = sha256();
        byte[] buf = new byte[64 * 1024];
        for (int n; (n = in.read(buf)) >= 0; ) {
            md.update(buf, 0, n);
        }
        return md.digest();
    }

    /** A fresh SHA-256 digest. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
