package dev.vreg.upstream.gitlab;

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
 * Go modules hosted in GitLab projects and groups, resolved through the GitLab REST API v4 alone, without cloning.
 * The upstream URL is the GitLab instance ({@code https://gitlab.example.com}); module path hints say which module
 * paths live in which group; the token is a personal, group or project access token (or a deploy token as user name
 * and password).
 */
@Extension
public final class GitlabUpstreamPlugin implements UpstreamPlugin {

    /** The kind id of this plugin. */
    public static final String KIND = "gitlab";
    /** How many reads one client keeps in its memo of projects, commits and files. */
    private static final int MEMO_ENTRIES = 1024;

    private static final String SETTINGS_SCHEMA = """
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "$id": "urn:vreg:upstream:gitlab:settings",
              "title": "GitLab upstream settings",
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "modulePaths": {
                  "description": "Module path hints: module paths starting with a prefix (a host and a group prefix) \
            live in the given GitLab namespace, the rest of the path naming the project, its subgroups and the module's \
            directory. The longest matching prefix is used. Without hints, module paths are the instance's host name \
            followed by the project path, as GitLab names them.",
                  "type": "array",
                  "maxItems": 100,
                  "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["prefix"],
                    "properties": {
                      "prefix": {
                        "description": "A module path prefix, such as gitlab.example.com/platform.",
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 512,
                        "pattern": "^[^/\\\\s]+(/[^/\\\\s]+)*$",
                        "x-message": "must be a module path prefix without leading or trailing '/' or spaces"
                      },
                      "namespace": {
                        "description": "The GitLab group path the prefix stands for; by default the prefix without its \
            host (platform for gitlab.example.com/platform). Empty for the instance's root.",
                        "type": "string",
                        "maxLength": 512,
                        "pattern": "^([^/\\\\s]+(/[^/\\\\s]+)*)?$",
                        "x-message": "must be a group path without leading or trailing '/' or spaces"
                      }
                    }
                  },
                  "examples": [[{"prefix": "gitlab.example.com/platform"}],
                               [{"prefix": "go.example.com", "namespace": "golang"}]]
                },
                "probeProject": {
                  "description": "A project path (group/project) that connection tests check the token can read.",
                  "type": "string",
                  "minLength": 1,
                  "maxLength": 512,
                  "pattern": "^[^/\\\\s]+(/[^/\\\\s]+)+$",
                  "x-message": "must be a project path such as group/project"
                },
                "tokenAs": {
                  "description": "How the token is sent: in the PRIVATE-TOKEN header (personal, group and project \
            access tokens) or as Authorization: Bearer (OAuth tokens).",
                  "type": "string",
                  "enum": ["private-token", "bearer"],
                  "default": "private-token"
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
        URI url = checkUrl(config.url());
        GitlabSettings settings = GitlabSettings.from(config.settings(), url);
        GitlabAuth auth = GitlabAuth.of(config.credentials(), "bearer".equals(config.settings().getString("tokenAs")));
        int connectTimeout = positiveMillis(config.connectTimeout(), "connect timeout");
        int readTimeout = positiveMillis(config.readTimeout(), "read timeout");
        int deadline = positiveMillis(config.transfer().deadline(), "transfer deadline");
        HttpClientOptions options = context.httpClientOptions()
                .setConnectTimeout(connectTimeout)
                .setKeepAlive(true)
                .setDecompressionSupported(false);
        HttpClient http = context.createHttpClient(options);
        GitlabApi api = new GitlabApi(http, context.vertx(), url, auth, readTimeout, deadline);
        ReadMemo memo = new ReadMemo(MEMO_ENTRIES, context.clock());
        ProjectLocator locator = new ProjectLocator(api, settings.hints(), memo);
        ConnectionProbe probe = new ConnectionProbe(api, settings.probeProject(), url.getScheme().equals("https"),
                context.clock());
        return new GitlabClient(http, context.vertx(), api, locator, memo, probe);
    }

    private static URI checkUrl(URI url) {
        String scheme = url.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw VregException.invalid("a GitLab upstream's URL must be the instance's http(s) address, such as "
                    + "https://gitlab.example.com");
        }
        if (url.getRawUserInfo() != null || url.getRawQuery() != null || url.getRawFragment() != null) {
            throw VregException.invalid("a GitLab upstream's URL must have no user name, query or fragment; "
                    + "credentials belong in the upstream's token");
        }
        return url;
    }

    private static int positiveMillis(Duration duration, String what) {
        long millis = duration.toMillis();
        if (millis <= 0 || millis > Integer.MAX_VALUE) {
            throw VregException.invalid("the upstream's " + what + " must be between 1 ms and 24 days");
        }
        return (int) millis;
    }
}
