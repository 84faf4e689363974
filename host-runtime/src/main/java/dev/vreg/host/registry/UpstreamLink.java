package dev.vreg.host.registry;

/** An upstream a registry asks, at its position in the registry's order (1 is asked first). */
public record UpstreamLink(int position, long upstreamId, String name, String kind, String url) {

    /** A link as it was before the bootstrap replaced a registry's links, with the cached files it served. */
    public record Previous(long upstreamId, int position, String url, long cachedFiles) {
    }
}
