package dev.vreg.upstream.artifactory;

import dev.vreg.goproxy.client.ApiAnswer;
import dev.vreg.goproxy.client.GoproxyClient;
import dev.vreg.spi.ConnectionReport;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The connection test of an Artifactory upstream, in three steps that each tell a different mistake apart:
 * System Health Ping ({@code /api/system/ping}: is this Artifactory, are the credentials accepted?), Repository
 * Configuration ({@code /api/repositories/<key>}: does the repository exist for these credentials, is it a Go
 * repository?) and one GOPROXY request to its Go API (may the credentials read it?). Artifactory's own error texts
 * are not repeated: every message is vreg's, and holds no credential.
 */
final class ArtifactoryProbe {

    /** What of Artifactory's answer is repeated in a message: a package type or repository class, nothing else. */
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    private final GoproxyClient goApi;
    private final ArtifactoryLocation location;
    private final boolean hasCredentials;

    ArtifactoryProbe(GoproxyClient goApi, ArtifactoryLocation location, boolean hasCredentials) {
        this.goApi = goApi;
        this.location = location;
        this.hasCredentials = hasCredentials;
    }

    Future<ConnectionReport> run() {
        return goApi.call(location.ping())
                .compose(this::afterPing)
                .recover(failure -> Future.succeededFuture(goApi.report(failure)));
    }

    private Future<ConnectionReport> afterPing(ApiAnswer ping) {
        String at = "Artifactory at " + location.display();
        int status = ping.status();
        if (status == 200 && ping.text().strip().equals("OK")) {
            return goApi.call(location.configuration()).compose(config -> afterConfiguration(ping, config));
        }
        if (status == 401 || status == 403) {
            return done(ping, false, credentialsRefused(at, status, "its system ping"));
        }
        if (status == 404 || status == 200) {
            return done(ping, false, "There is no Artifactory at " + location.display() + ": /api/system/ping answered "
                    + status + (status == 200 ? " without OK" : "") + ". The URL must be the platform's address, "
                    + "such as https://acme.jfrog.io, or Artifactory's own, ending in /artifactory.");
        }
        return done(ping, false, at + " answered " + status + " to its system ping"
                + (status >= 500 ? ": Artifactory is not working properly, try again later." : "."));
    }

    private Future<ConnectionReport> afterConfiguration(ApiAnswer ping, ApiAnswer config) {
        String repository = "repository '" + location.repository() + "'";
        String at = "Artifactory at " + location.display();
        int status = config.status();
        if (status == 401 || status == 403) {
            return done(config, false, credentialsRefused(at, status, "the configuration of " + repository));
        }
        if (status == 400 || status == 404) {
            return done(config, false, at + " answered; it has no " + repository + " that the "
                    + (hasCredentials ? "configured credentials can" : "anonymous user can") + " see (" + status
                    + "). Check the key, which is case-sensitive, and that the credentials may read the repository.");
        }
        JsonObject json = status == 200 ? json(config) : null;
        if (json == null || !location.repository().equals(json.getString("key"))) {
            return done(config, false, at + " answered " + status + " for the configuration of " + repository
                    + ", which is not an Artifactory repository configuration.");
        }
        String type = word(json.getValue("packageType"));
        String rclass = word(json.getValue("rclass"));
        if (!type.equalsIgnoreCase("go")) {
            return done(config, false, at + " answered, but " + repository + " is a " + type + " repository ("
                    + rclass + "), not a Go repository: name a Go repository, usually the virtual one developers "
                    + "use as GOPROXY.");
        }
        String found = at + " answered its system ping in " + ping.latencyMillis() + " ms; " + repository + " is a "
                + rclass + " Go repository";
        return goApi.testConnection().map(report -> report.ok()
                ? new ConnectionReport(true, config.tls(), true, ping.latencyMillis(), found + ", and its Go API "
                        + "answered the probe request" + (hasCredentials ? " with the configured credentials." : "."))
                : new ConnectionReport(report.reachable(), report.tls(), false, report.latencyMillis(),
                        found + ", but its Go API failed the probe request: " + report.message()));
    }

    private String credentialsRefused(String at, int status, String what) {
        if (!hasCredentials) {
            return at + " answered " + status + " for " + what + ": it needs credentials. Configure an access "
                    + "token, or a user name with an API key or identity token.";
        }
        return at + " refused the configured credentials (" + status + ") for " + what + ": the access token "
                + "(sent as Bearer) or the user name with its API key, identity token or password (sent as Basic) is "
                + "wrong, expired or revoked, or may not read it.";
    }

    private static JsonObject json(ApiAnswer answer) {
        try {
            return new JsonObject(answer.body());
        } catch (DecodeException | ClassCastException e) {
            return null;
        }
    }

    private static String word(Object value) {
        String text = value == null ? "" : value.toString();
        return WORD.matcher(text).matches() ? text.toLowerCase(Locale.ROOT) : "unknown";
    }

    private static Future<ConnectionReport> done(ApiAnswer answer, boolean authenticated, String message) {
        return Future.succeededFuture(new ConnectionReport(true, answer.tls(), authenticated, answer.latencyMillis(),
                message));
    }
}
