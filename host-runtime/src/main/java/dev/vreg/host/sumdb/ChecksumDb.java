package dev.vreg.host.sumdb;

import io.vertx.core.json.JsonObject;

/**
 * A checksum database a registry proxies.
 *
 * @param name the database name, the part of the key before the first {@code +}; what the go command's requests
 *             name it by ({@code sumdb/<name>/...})
 * @param key  its verifier key, which also identifies its cached answers
 * @param url  where to reach it, or {@code null}: through the first of the registry's upstreams that proxies it
 */
public record ChecksumDb(String name, String key, String url) {

    JsonObject json() {
        return new JsonObject().put("name", name).put("key", key).put("url", url);
    }
}
