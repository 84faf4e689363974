package dev.vreg.upstream.goproxy;

import dev.vreg.spi.PluginContext;
import dev.vreg.spi.UpstreamClient;
import dev.vreg.spi.UpstreamConfig;
import dev.vreg.spi.UpstreamPlugin;
import dev.vreg.spi.VregException;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import org.pf4j.Extension;

/**
 * Upstreams that speak the GOPROXY protocol: proxy.golang.org, Athens in its default mode, goproxy.io-style servers,
 * and any other proxy the go command could use. Artifacts are fetched as {@code GET <url>/<path>} with the path
 * percent-encoded as the go command does; credentials are sent as Basic (user name and password) or Bearer (token)
 * to the upstream's own origin only.
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
        UpstreamBaseUrl base = UpstreamBaseUrl.parse(config.url());
        GoproxySettings settings = GoproxySettings.from(config.settings());
        String authorization = AuthorizationHeader.of(config.credentials());
        int connectTimeout = positiveMillis(config.connectTimeout(), "connect timeout");
        int readTimeout = positiveMillis(config.readTimeout(), "read timeout");

        HttpClientOptions options = context.httpClientOptions()
                .setConnectTimeout(connectTimeout)
                .setKeepAlive(true)
                // Bodies must reach the cache byte for byte and match Content-Length, so ask for no encoding.
                .setDecompressionSupported(false);
        HttpClient http = context.createHttpClient(options);

        Failures failures = new Failures(config.connectTimeout(), config.readTimeout());
        RedirectingGet get = new RedirectingGet(http, context.vertx(), base, authorization, readTimeout, failures);
        ConnectionProbe probe = new ConnectionProbe(get, base, settings.probePath(), authorization != null,
                context.clock(), context.vertx(), readTimeout);
        return new GoproxyClient(http, context.vertx(), base, get, failures, probe, readTimeout);
    }

    private static int positiveMillis(Duration duration, String what) {
        long millis = duration.toMillis();
        if (millis <= 0 || millis > Integer.MAX_VALUE) {
            throw VregException.invalid("the upstream's " + what + " must be between 1 ms and 24 days");
        }
        return (int) millis;
    }
}
