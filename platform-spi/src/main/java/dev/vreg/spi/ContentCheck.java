package dev.vreg.spi;

import java.util.Map;

/**
 * The result of validating a CONTENT body before the host commits it to the cache.
 *
 * @param attributes facts the format derived from the body that the host stores with the cache entry and may show
 *                   (Go: {@code h1} → the dirhash of a zip or go.mod). Never null.
 */
public record ContentCheck(Map<String, String> attributes) {

    public static final ContentCheck NONE = new ContentCheck(Map.of());

    public ContentCheck {
        attributes = Map.copyOf(attributes);
    }
}
