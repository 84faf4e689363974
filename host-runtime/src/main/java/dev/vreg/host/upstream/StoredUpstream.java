package dev.vreg.host.upstream;

import io.vertx.core.json.JsonObject;

/**
 * What opening a client for an upstream needs, as it is stored: the credentials still encrypted.
 *
 * @param credentials             the encrypted credentials, or {@code null} when there are none
 * @param settings                the kind's own settings; never null
 * @param transferDeadlineSeconds its own transfer deadline; {@code null}: the instance's
 * @param minTransferRate         its own minimum transfer rate in bytes per second ({@code 0}: none); {@code null}:
 *                                the instance's
 * @param allowPrivateNetwork     whether an instance admin lifted the address rule for it
 */
public record StoredUpstream(long id, String name, String kind, String url, byte[] credentials,
                             JsonObject settings, Long transferDeadlineSeconds, Long minTransferRate,
                             boolean allowPrivateNetwork) {

    /** One that takes the instance's transfer limits and address rule. */
    public StoredUpstream(long id, String name, String kind, String url, byte[] credentials, JsonObject settings) {
        this(id, name, kind, url, credentials, settings, null, null, false);
    }
}
