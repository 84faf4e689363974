package dev.vreg.upstream.goproxy;

import dev.vreg.goproxy.client.GoPathEscaper;
import dev.vreg.goproxy.client.GoproxyClient;
import dev.vreg.spi.VregException;
import io.vertx.core.json.JsonObject;

/**
 * The settings of a goproxy upstream (see {@link GoproxyUpstreamPlugin#settingsSchema()}).
 *
 * @param probePath the bang-escaped path, relative to the upstream URL, that a connection test GETs
 */
record GoproxySettings(String probePath) {

    /** The probe path when none is set: {@link GoproxyClient#DEFAULT_PROBE_PATH}. */
    static final String DEFAULT_PROBE_PATH = GoproxyClient.DEFAULT_PROBE_PATH;

    private static final String PROBE_PATH = "probePath";

    /**
     * Reads settings that the host already validated against the schema, checking again what the client relies on.
     *
     * @throws VregException of kind INVALID for unknown settings or an unusable probe path
     */
    static GoproxySettings from(JsonObject settings) {
        for (String name : settings.fieldNames()) {
            if (!name.equals(PROBE_PATH)) {
                throw VregException.invalid("unknown setting '" + name + "' for a goproxy upstream; "
                        + "the only setting is '" + PROBE_PATH + "'");
            }
        }
        Object value = settings.getValue(PROBE_PATH);
        if (value == null) {
            return new GoproxySettings(DEFAULT_PROBE_PATH);
        }
        if (!(value instanceof String path) || path.length() > 1024 || path.contains("?") || path.contains("#")) {
            throw VregException.invalid("'" + PROBE_PATH + "' must be a path relative to the upstream URL, "
                    + "such as golang.org/x/text/@v/list, without a query or fragment");
        }
        try {
            GoPathEscaper.escapePath(path);
        } catch (IllegalArgumentException e) {
            throw VregException.invalid("'" + PROBE_PATH + "' is not usable: " + e.getMessage());
        }
        return new GoproxySettings(path);
    }
}
