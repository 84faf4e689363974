package dev.vreg.testkit.go;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The {@code h1:} hash of golang.org/x/mod/sumdb/dirhash ({@code Hash1}) that go.sum records: SHA-256 over a summary
 * of {@code <hex sha256 of file>  <name>\n} lines, names sorted byte-wise.
 */
public final class DirHash {

    /** Orders names by their UTF-8 bytes, as Go sorts strings (Java's own order is by UTF-16 units). */
    public static final Comparator<String> BYTEWISE = (a, b) ->
            Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private DirHash() {
    }

    /**
     * {@code Hash1} over named contents.
     *
     * @param contents file name → content; names must not contain a newline
     */
    public static String hash1(Map<String, FileContent> contents) {
        MessageDigest summary = sha256();
        Map<String, FileContent> sorted = new TreeMap<>(BYTEWISE);
        sorted.putAll(contents);
        for (Map.Entry<String, FileContent> e : sorted.entrySet()) {
            if (e.getKey().indexOf('\n') >= 0) {
                throw new IllegalArgumentException("file name contains a newline: " + e.getKey());
            }
            MessageDigest file = sha256();
            try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), file)) {
                e.getValue().writeTo(out);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            String line = HexFormat.of().formatHex(file.digest()) + "  " + e.getKey() + "\n";
            summary.update(line.getBytes(StandardCharsets.UTF_8));
        }
        return "h1:" + Base64.getEncoder().encodeToString(summary.digest());
    }

    /** The hash go.sum records for a module's zip: over full entry names ({@code path@version/file}). */
    public static String ofModule(GoModule module) {
        Map<String, FileContent> named = new TreeMap<>(BYTEWISE);
        module.files().forEach((name, content) -> named.put(module.zipEntryName(name), content));
        return hash1(named);
    }

    /** The hash go.sum records on a {@code /go.mod} line: {@code Hash1} of one file named {@code go.mod}. */
    public static String ofGoMod(byte[] modBytes) {
        return hash1(Map.of("go.mod", FileContent.bytes(modBytes)));
    }

    /**
     * The hash of a zip file as the go command computes it ({@code dirhash.HashZip}): over every entry, by its full
     * name and uncompressed content. Useful to check that a zip served by someone else is the fixture's.
     */
    public static String ofZipFile(Path zip) {
        try (ZipFile file = new ZipFile(zip.toFile(), StandardCharsets.UTF_8)) {
            Map<String, FileContent> entries = new TreeMap<>(BYTEWISE);
            for (ZipEntry entry : Collections.list(file.entries())) {
                entries.put(entry.getName(), new ZipEntryContent(file, entry));
            }
            return hash1(entries);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read zip " + zip, e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Streams one entry of an open zip file when it is hashed. */
    private record ZipEntryContent(ZipFile file, ZipEntry entry) implements FileContent {

        @Override
        public long size() {
            return entry.getSize();
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            try (InputStream in = file.getInputStream(entry)) {
                in.transferTo(out);
            }
        }
    }
}
