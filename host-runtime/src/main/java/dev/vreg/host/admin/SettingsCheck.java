package dev.vreg.host.admin;

import dev.vreg.spi.UpstreamClient;
import dev.vreg.spi.UpstreamConfig;
import dev.vreg.spi.VregException;
import io.vertx.core.json.JsonObject;
import java.net.URI;

/**
 * Asks the upstream's plugin whether it accepts a configuration, by opening a client for it and closing it again
 * (opening does no I/O). The plugin knows its settings best; its refusal message is what the caller sees.
 */
final class SettingsCheck {

    private SettingsCheck() {
    }

    /** The plugin's reason for refusing, or {@code null} when it accepts the configuration. */
    static String refusal(ConnectionTestHandler.Clients clients, String kind, String url, JsonObject settings) {
        var plugin = clients.plugins().upstreamKind(kind);
        if (plugin.isEmpty()) {
            return null;
        }
        try {
            UpstreamClient client = plugin.get().open(new UpstreamConfig("settings-check", kind, URI.create(url), null,
                    settings == null ? new JsonObject() : settings, clients.connectTimeout(), clients.readTimeout()),
                    clients.context());
            client.close();
            return null;
        } catch (VregException e) {
            return e.getMessage();
        } catch (RuntimeException e) {
            return "the " + kind + " plugin does not accept this configuration";
        }
    }
}
