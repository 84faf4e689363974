package dev.vreg.upstream.goproxy;

import dev.vreg.goproxy.client.GoproxyClient;
import dev.vreg.spi.PluginContext;
import dev.vreg.spi.UpstreamClient;
import dev.vreg.spi.UpstreamConfig;
import dev.vreg.spi.UpstreamPlugin;
import dev.vreg.spi.VregException;
import java.net.URI;
import java.util.Set;
import org.pf4j.Extension;

/**
 * Upstreams that speak the GOPROXY protocol: proxy.golang.org, Athens in its default mode, goproxy.io-style servers,
 * and any other proxy the go command could use, through the {@link GoproxyClient} of the goproxy-client library,
 * which this plugin bundles. Its only setting is the path a connection test GETs.
 */
@Extension
public final class GoproxyUpstreamPlugin implements UpstreamPlugin {

    /** The kind id of this plugin. */
    public static final String KIND = "goproxy";

    /** The public Go module mirror run by Google, the go command's default {@code GOPROXY}. */
    public static final URI PROXY_GOLANG_ORG = URI.create("https://proxy.golang.org");

    private static final String SETTINGS_SCHEMA = """
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "$id": "urn:vreg:upstream:goproxy:settings",
              "title": "GOPROXY upstream settings",
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "probePath": {
                  "description": "The path, relative to the upstream URL and bang-escaped like a GOPROXY request, \
            that connection tests GET. A 200, 404 or 410 answer means the upstream works and accepted the \
            credentials. The default is a module list that cannot exist; name a private module's list to check that \
            the credentials may read it.",
                  "type": "string",
                  "minLength": 1,
                  "maxLength": 1024,
                  "pattern": "^[^/?#\\\\s]([^?#\\\\s]*[^/?#\\\\s])?$",
                  "x-message": "must be a relative path without a leading or trailing '/', '?', '#' or spaces",
                  "default": "%s",
                  "examples": ["golang.org/x/text/@v/list", "example.com/private/module/@latest"]
                }
              }
            }
            """.formatted(GoproxySettings.DEFAULT_PROBE_PATH);

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
        GoproxySettings settings = GoproxySettings.from(config.settings());
        return GoproxyClient.open(config, settings.probePath(), context);
    }
}
