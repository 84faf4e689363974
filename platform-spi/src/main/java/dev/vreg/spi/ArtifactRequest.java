package dev.vreg.spi;

/**
 * A request for one artifact from an upstream.
 *
 * @param ref         what to fetch
 * @param ifNoneMatch the upstream ETag of the copy the host holds, for revalidating METADATA, or {@code null}
 */
public record ArtifactRequest(ArtifactRef ref, String ifNoneMatch) {

    public static ArtifactRequest of(ArtifactRef ref) {
        return new ArtifactRequest(ref, null);
    }
}
