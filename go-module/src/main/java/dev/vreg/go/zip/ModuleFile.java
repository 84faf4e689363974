package dev.vreg.go.zip;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * One file offered for a module zip ({@code zip.File}): a slash-separated path relative to the module root, what
 * kind of file it is, its size, and a way to write its content. Content is written rather than read so that
 * generated content can be zipped without ever being held in memory.
 */
public interface ModuleFile {

    /** What a file is, as {@code os.Lstat} sees it: links are not followed. */
    enum Type { REGULAR, DIRECTORY, SYMLINK, OTHER }

    /** The slash-separated path relative to the module root ({@code go.mod}, {@code pkg/a.go}). */
    String path();

    /** What kind of file this is; only regular files go into a zip. */
    Type type() throws IOException;

    /** The number of bytes {@link #writeTo} writes. */
    long size() throws IOException;

    /** Writes the content to {@code out}, leaving it open; every call writes the same bytes. */
    void writeTo(OutputStream out) throws IOException;

    /** A regular file with the given content (the array is copied). */
    static ModuleFile of(String path, byte[] content) {
        Objects.requireNonNull(path, "path");
        byte[] copy = content.clone();
        return new ModuleFile() {
            @Override
            public String path() {
                return path;
            }

            @Override
            public Type type() {
                return Type.REGULAR;
            }

            @Override
            public long size() {
                return copy.length;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                out.write(copy);
            }
        };
    }

    /** The file at {@code file} on disk, offered under {@code path}; a symbolic link is reported, not followed. */
    static ModuleFile of(String path, Path file) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(file, "file");
        return new ModuleFile() {
            @Override
            public String path() {
                return path;
            }

            @Override
            public Type type() throws IOException {
                BasicFileAttributes a = attributes();
                if (a.isSymbolicLink()) {
                    return Type.SYMLINK;
                }
                return a.isRegularFile() ? Type.REGULAR : a.isDirectory() ? Type.DIRECTORY : Type.OTHER;
            }

            @Override
            public long size() throws IOException {
                return attributes().size();
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                Files.copy(file, out);
            }

            private BasicFileAttributes attributes() throws IOException {
                return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            }

            @Override
            public String toString() {
                return path + " (" + file + ")";
            }
        };
    }
}
