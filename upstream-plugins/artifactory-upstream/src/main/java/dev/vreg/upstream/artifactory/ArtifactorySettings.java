package dev.vreg.upstream.artifactory;

import dev.vreg.spi.VregException;
import io.vertx.core.json.JsonObject;

/**
 * The settings of an artifactory upstream (see {@link ArtifactoryUpstreamPlugin#settingsSchema()}).
 *
 * @param repository the key of the Go repository, usually the virtual one developers use as their GOPROXY
 */
record ArtifactorySettings(String repository) {

    static final String REPOSITORY = "repository";

    /**
     * Reads settings that the host already validated against the schema, checking again what the client relies on.
     *
     * @throws VregException of kind INVALID for unknown settings, or a missing or malformed repository key
     */
    static ArtifactorySettings from(JsonObject settings) {
        for (String name : settings.fieldNames()) {
            if (!name.equals(REPOSITORY)) {
                throw VregException.invalid("unknown setting '" + name + "' for an artifactory upstream; "
                        + "the only setting is '" + REPOSITORY + "'");
            }
        }
        Object value = settings.getValue(REPOSITORY);
        if (value == null) {
            throw VregException.invalid("the setting '" + REPOSITORY + "' is required: the key of the Artifactory "
                    + "Go repository, such as go-virtual");
        }
        if (!(value instanceof String key) || !ArtifactoryLocation.KEY.matcher(key).matches()) {
            throw VregException.invalid("'" + REPOSITORY + "' must be an Artifactory repository key: letters, "
                    + "digits, '.', '-' and '_', at most 64 characters");
        }
        return new ArtifactorySettings(key);
    }
}
