package dev.vreg.upstream.artifactory;

import dev.vreg.goproxy.client.GoproxyClient;
import dev.vreg.spi.PluginContext;
import dev.vreg.spi.UpstreamClient;
import dev.vreg.spi.UpstreamConfig;
import dev.vreg.spi.UpstreamPlugin;
import dev.vreg.spi.VregException;
import java.util.Set;
import org.pf4j.Extension;

/**
 * Upstreams that are Go repositories of JFrog Artifactory. The URL is Artifactory's address, the one setting the
 * repository's key; files are fetched from {@code <artifactory>/api/go/<key>} with the GOPROXY client, which sends
 * an access token as {@code Bearer} and a user with an API key, identity token or password as Basic, and the
 * checksum database pass-through goes the same way ({@code .../api/go/<key>/sumdb/sum.golang.org/...}).
 */
@Extension
public final class ArtifactoryUpstreamPlugin implements UpstreamPlugin {

    /** The kind id of this plugin. */
    public static final String KIND = "artifactory";

    private static final String SETTINGS_SCHEMA = """
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "$id": "urn:vreg:upstream:artifactory:settings",
              "title": "Artifactory upstream settings",
              "type": "object",
              "additionalProperties": false,
              "required": ["repository"],
              "properties": {
                "repository": {
                  "description": "The key of the Artifactory Go repository (local, remote or virtual; usually the \
            virtual one developers use as GOPROXY). Files are fetched from <url>/artifactory/api/go/<repository>.",
                  "type": "string",
                  "minLength": 1,
                  "maxLength": 64,
                  "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]*$",
                  "x-message": "must be an Artifactory repository key: letters, digits, '.', '-' and '_'",
                  "examples": ["go-virtual", "go-remote"]
                }
              }
            }
            """;

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
        ArtifactorySettings settings = ArtifactorySettings.from(config.settings());
        ArtifactoryLocation location = ArtifactoryLocation.of(config.url(), settings.repository());
        UpstreamConfig goApi = new UpstreamConfig(config.id(), config.kind(), location.goApi(), config.credentials(),
                config.settings(), config.connectTimeout(), config.readTimeout(), config.transfer());
        GoproxyClient client = GoproxyClient.open(goApi, GoproxyClient.DEFAULT_PROBE_PATH, context);
        return new ArtifactoryClient(client, location, config.credentials() != null);
    }
}
