package dev.vreg.upstream.gitlab;

import java.time.Instant;

/**
 * A revision as the module system names it.
 *
 * @param version the module version: a tag's version, with {@code +incompatible} where it applies, or a
 *                pseudo-version
 * @param time    the commit time, in whole seconds
 * @param commit  the full commit hash
 */
record RevInfo(String version, Instant time, String commit) {

    /** The {@code .info} answer of a GOPROXY server. */
    String json() {
        return new io.vertx.core.json.JsonObject().put("Version", version).put("Time", time.toString()).encode();
    }
}
