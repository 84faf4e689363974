package dev.vreg.host.upstream;

import io.vertx.core.json.JsonObject;

/**
 * What opening a client for an upstream needs, as it is stored: the credentials still encrypted.
 *
 * @param credentials the encrypted credentials, or {@code null} when there are none
 * @param settings    the kind's own settings; never null
 */
public record StoredUpstream(long id, String name, String kind, String url, byte[] credentials,
                             JsonObject settings) {
}
