package dev.vreg.host.cache;

/**
 * One cached file (a CONTENT entry) with what it records of its blob, as {@code vreg verify-store} checks it.
 *
 * @param upstream the name of the upstream it was fetched from
 * @param size     the size recorded for the file, which its blob must have
 */
public record CachedFile(long id, String path, String upstream, String blobDigest, long size) {
}
