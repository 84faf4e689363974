package dev.vreg.upstream.athens;

import dev.vreg.goproxy.client.GoproxyClient;
import dev.vreg.spi.PluginContext;
import dev.vreg.spi.UpstreamClient;
import dev.vreg.spi.UpstreamConfig;
import dev.vreg.spi.UpstreamPlugin;
import dev.vreg.spi.VregException;
import java.util.Set;
import org.pf4j.Extension;

/**
 * Upstreams that are Athens proxies. The URL is Athens' GOPROXY address (with its {@code PathPrefix}); credentials
 * are its basic-auth user and password ({@code ATHENS_BASIC_AUTH_USER}/{@code _PASS}) or a token for a proxy in front
 * of it. Connection tests ask {@code /healthz}, {@code /readyz} and {@code /catalog}.
 */
@Extension
public final class AthensUpstreamPlugin implements UpstreamPlugin {

    /** The kind id of this plugin. */
    public static final String KIND = "athens";

    private static final String SETTINGS_SCHEMA = """
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "$id": "urn:vreg:upstream:athens:settings",
              "title": "Athens upstream settings",
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "asyncRetries": {
                  "description": "For Athens in the async download mode, which answers 404 while it fetches a \
            module: how many times a version's .info, .mod or .zip that answered 404 is asked again. 0 (the \
            default) takes the first 404 as the answer.",
                  "type": "integer",
                  "minimum": 0,
                  "maximum": %d,
                  "default": 0
                },
                "asyncRetryDelayMillis": {
                  "description": "How long to wait before each of those requests, in milliseconds.",
                  "type": "integer",
                  "minimum": 100,
                  "maximum": 60000,
                  "default": %d
                }
              }
            }
            """.formatted(AthensSettings.MAX_RETRIES, AthensSettings.DEFAULT_DELAY_MILLIS);

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Set<String> formats() {
        return Set.of("go");
    }

    @Override
    public String settingsSchema() {
        return SETTINGS_SCHEMA;
    }

    @Override
    public UpstreamClient open(UpstreamConfig config, PluginContext context) {
        if (!KIND.equals(config.kind())) {
            throw VregException.invalid("upstream " + config.id() + " is of kind '" + config.kind()
                    + "', not '" + KIND + "'");
        }
        AthensSettings settings = AthensSettings.from(config.settings());
        GoproxyClient client = GoproxyClient.open(config, GoproxyClient.DEFAULT_PROBE_PATH, context);
        return new AthensClient(client, settings, context.vertx(), config.credentials() != null);
    }
}
