package dev.vreg.spi;

import io.vertx.core.buffer.Buffer;

/**
 * One upstream's answer for a METADATA path, handed to {@link FormatPlugin#merge}.
 *
 * @param upstreamId the upstream that answered
 * @param position   its position in the registry (1 = highest priority)
 * @param body       the body it served (metadata is small; the host enforces a size limit before merging)
 */
public record MetadataPart(String upstreamId, int position, Buffer body) {
}
