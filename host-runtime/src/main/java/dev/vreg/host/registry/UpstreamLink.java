package dev.vreg.host.registry;

/** An upstream a registry asks, at its position in the registry's order (1 is asked first). */
public record UpstreamLink(int position, long upstreamId, String name, String kind, String url) {
}
