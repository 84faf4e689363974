package dev.vreg.upstream.gitlab;

import static dev.vreg.upstream.gitlab.GitlabApi.segment;

import dev.vreg.spi.ConnectionReport;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import java.time.Clock;

/**
 * A connection test: {@code GET /api/v4/version} proves the URL is a GitLab API and that the token is accepted, then
 * {@code GET /api/v4/projects/:path} of the configured probe project proves the token can read it. Each failure is
 * told as what to fix: the URL, the token, its scope, the project's path or the token user's membership.
 */
final class ConnectionProbe {

    private final GitlabApi api;
    private final String probeProject;
    private final boolean https;
    private final Clock clock;

    ConnectionProbe(GitlabApi api, String probeProject, boolean https, Clock clock) {
        this.api = api;
        this.probeProject = probeProject;
        this.https = https;
        this.clock = clock;
    }

    Future<ConnectionReport> run() {
        long started = clock.millis();
        GitlabAuth auth = api.auth();
        return api.get("/version", 1 << 16, "the GitLab version").transform(result -> {
            long latency = clock.millis() - started;
            if (result.succeeded()) {
                String version = result.result().json().getString("version", "unknown");
                return project("GitLab " + version + " at " + api.display() + " accepted the " + auth.kind() + ".",
                        latency);
            }
            Throwable e = result.cause();
            if (VregException.is(e, ErrorKind.UNAUTHORIZED)) {
                if (!auth.present()) {
                    return project("GitLab at " + api.display() + " answered; no token is configured, so only public "
                            + "projects can be read.", latency);
                }
                if (auth.kind().equals("deploy token")) {
                    // Deploy tokens read repositories, not the instance's version: only the project check can tell.
                    return project("GitLab at " + api.display() + " answered.", latency);
                }
                return done(true, false, latency, "GitLab at " + api.display() + " refused the token (401 "
                        + "Unauthorized): it is wrong, expired or revoked. Create a personal, group or project access "
                        + "token with the read_api scope and save it as this upstream's token.");
            }
            if (VregException.is(e, ErrorKind.FORBIDDEN)) {
                return done(true, false, latency, "GitLab at " + api.display() + " accepted the token but refused "
                        + "the request (403 Forbidden): give the token the read_api scope.");
            }
            if (VregException.is(e, ErrorKind.NOT_FOUND)) {
                return done(true, false, latency, "There is no GitLab API at " + api.display() + " (/api/v4/version "
                        + "answered 404): the URL must be the GitLab instance's address, such as "
                        + "https://gitlab.example.com, without /api/v4.");
            }
            return done(false, false, -1, e.getMessage() + ".");
        });
    }

    private Future<ConnectionReport> project(String instance, long latency) {
        if (probeProject == null) {
            return done(true, true, latency, instance + " Name a probe project in the settings to check that the "
                    + api.auth().kind() + " can read it.");
        }
        return api.get("/projects/" + segment(probeProject), 1 << 20, "project " + probeProject).transform(r -> {
            if (r.succeeded()) {
                return done(true, true, latency, instance + " Project " + probeProject + " can be read.");
            }
            Throwable e = r.cause();
            if (VregException.is(e, ErrorKind.NOT_FOUND)) {
                return done(true, false, latency, instance + " Project " + probeProject + " was not found: check its "
                        + "path, and that the token's user is a member with at least the Reporter role (GitLab "
                        + "answers 404 for private projects the token cannot see).");
            }
            if (VregException.is(e, ErrorKind.UNAUTHORIZED)) {
                return done(true, false, latency, "GitLab at " + api.display() + " refused the " + api.auth().kind()
                        + " for project " + probeProject + " (401 Unauthorized): it is wrong, expired or revoked.");
            }
            if (VregException.is(e, ErrorKind.FORBIDDEN)) {
                return done(true, false, latency, instance + " Project " + probeProject + " refused the "
                        + api.auth().kind() + " (403 Forbidden): it needs the read_api scope (read_repository for a "
                        + "deploy token).");
            }
            return done(false, false, -1, e.getMessage() + ".");
        });
    }

    private Future<ConnectionReport> done(boolean reachable, boolean authenticated, long latency, String message) {
        return Future.succeededFuture(new ConnectionReport(reachable, https && reachable, authenticated, latency,
                message));
    }
}
