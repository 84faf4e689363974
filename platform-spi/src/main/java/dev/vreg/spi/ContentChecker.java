package dev.vreg.spi;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A check of one CONTENT body that reads the bytes while they arrive, so that a large file is read once, not once
 * to store it and again to check it. The host feeds it every byte of the body in order, then asks for the verdict.
 * Both methods run on worker threads, one call at a time, and may block.
 *
 * @see FormatPlugin#contentChecker(ArtifactRef)
 */
public interface ContentChecker {

    /**
     * The next bytes of the body, from the buffer's position to its limit. The buffer is only valid during the call
     * and its position must be left as it was.
     *
     * @throws VregException of kind {@link ErrorKind#UPSTREAM_INVALID} as soon as the bytes break a rule; the host
     *                       then stops the transfer
     */
    void update(ByteBuffer bytes);

    /**
     * The verdict, after the last byte. {@code file} holds the complete body, for the rare file that cannot be
     * judged from the stream alone.
     *
     * @return facts to store with the cache entry, as from {@link FormatPlugin#check}
     * @throws VregException of kind {@link ErrorKind#UPSTREAM_INVALID} naming the rule that was broken
     */
    ContentCheck finish(Path file);
}
