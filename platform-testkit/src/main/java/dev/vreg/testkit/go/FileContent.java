package dev.vreg.testkit.go;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The content of one file in a fixture module: either bytes held in memory or a generator that writes the same
 * bytes every time it is asked, so that a large module can be zipped and hashed without ever being held in memory.
 */
public interface FileContent {

    /** The exact number of bytes {@link #writeTo} writes. */
    long size();

    /**
     * Writes the content. Every call writes the same bytes. The stream is left open, because callers write many
     * files into one zip stream.
     */
    void writeTo(OutputStream out) throws IOException;

    /** Content held in memory (the array is copied). */
    static FileContent bytes(byte[] bytes) {
        byte[] copy = bytes.clone();
        return new FileContent() {
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

    /** Text content, encoded as UTF-8. */
    static FileContent utf8(String text) {
        return bytes(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@code size} bytes of incompressible pseudo-random data, the same for the same {@code seed}, generated in small
     * blocks as it is written.
     */
    static FileContent pseudoRandom(long seed, long size) {
        return new PseudoRandomContent(seed, size);
    }
}
