package dev.vreg.host.upstream;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What creating or changing an upstream sets. When changing one, {@code null} leaves a value as it is (the kind
 * never changes); when creating one, {@code null} takes the column's default.
 *
 * @param transferDeadlineSeconds its own transfer deadline; {@code null}: the instance's
 * @param minTransferRate         its own minimum transfer rate, bytes per second ({@code 0}: none); {@code null}: the
 *                                instance's
 * @param credentialsGiven  whether the credentials are set (possibly removed) at all
 * @param credentials       the encrypted credentials; {@code null}: none
 * @param credentialsDigest   their keyed digest, for the duplicate guard; {@code ""}: none
 * @param allowPrivateNetwork whether the address rule is lifted for it (an instance admin's decision)
 */
public record UpstreamChange(String name, String kind, String url, JsonObject settings, List<String> moduleHints,
                             Long metadataValiditySeconds, Long contentValiditySeconds,
                             Long transferDeadlineSeconds, Long minTransferRate, boolean credentialsGiven,
                             byte[] credentials, String credentialsDigest, Boolean allowPrivateNetwork) {
}
