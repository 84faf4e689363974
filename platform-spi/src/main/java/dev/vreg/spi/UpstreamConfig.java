package dev.vreg.spi;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * One configured upstream as the host hands it to {@link UpstreamPlugin#open}.
 *
 * @param id             the host's id of the upstream (stable; used in logs and metrics)
 * @param kind           the plugin kind
 * @param url            the base URL
 * @param credentials    decrypted credentials, or {@code null}
 * @param settings       the kind's own settings, already validated against its schema; never null
 * @param connectTimeout how long to wait for a connection
 * @param readTimeout    how long a response may stay silent (headers or body) before the fetch fails
 * @param transfer       the deadline of a whole fetch and the minimum rate of a body; {@link TransferLimits#DEFAULT}
 *                       when {@code null}
 */
public record UpstreamConfig(String id, String kind, URI url, Credentials credentials, JsonObject settings,
                             Duration connectTimeout, Duration readTimeout, TransferLimits transfer) {

    public UpstreamConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(url, "url");
        settings = settings == null ? new JsonObject() : settings;
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(10) : connectTimeout;
        readTimeout = readTimeout == null ? Duration.ofSeconds(60) : readTimeout;
        transfer = transfer == null ? TransferLimits.DEFAULT : transfer;
    }

    /** A configuration with the default {@link TransferLimits}. */
    public UpstreamConfig(String id, String kind, URI url, Credentials credentials, JsonObject settings,
                          Duration connectTimeout, Duration readTimeout) {
        this(id, kind, url, credentials, settings, connectTimeout, readTimeout, null);
    }
}
