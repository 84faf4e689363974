package dev.vreg.upstream.athens;

import dev.vreg.goproxy.client.ApiAnswer;
import dev.vreg.goproxy.client.GoproxyClient;
import dev.vreg.spi.ConnectionReport;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.net.URI;

/**
 * The connection test of an Athens upstream: {@code /healthz} (is this Athens, are the credentials accepted? Athens'
 * basic auth covers every route), {@code /readyz} (can it reach its storage?) and {@code /catalog?pagesize=1}
 * (does its storage list modules? only some do, so this is told, never failed).
 */
final class AthensProbe {

    private final GoproxyClient goproxy;
    private final boolean hasCredentials;

    AthensProbe(GoproxyClient goproxy, boolean hasCredentials) {
        this.goproxy = goproxy;
        this.hasCredentials = hasCredentials;
    }

    Future<ConnectionReport> run() {
        return goproxy.call(endpoint("healthz"))
                .compose(this::afterHealth)
                .recover(failure -> Future.succeededFuture(goproxy.report(failure)));
    }

    private URI endpoint(String name) {
        return URI.create(goproxy.baseUrl() + "/" + name);
    }

    private String at() {
        URI base = goproxy.baseUrl();
        return "Athens at " + base.getRawAuthority() + base.getRawPath();
    }

    private Future<ConnectionReport> afterHealth(ApiAnswer health) {
        int status = health.status();
        if (status == 200) {
            return goproxy.call(endpoint("readyz")).compose(ready -> afterReady(health, ready));
        }
        if (status == 401 || status == 403) {
            return done(health, false, hasCredentials
                    ? at() + " refused the configured credentials (" + status + "): check the user name and password "
                            + "(Athens' ATHENS_BASIC_AUTH_USER and ATHENS_BASIC_AUTH_PASS) or the token."
                    : at() + " needs credentials (" + status + "): configure its basic-auth user name and password.");
        }
        if (status == 404) {
            return done(health, false, "There is no Athens at " + at().substring(10) + ": /healthz answered 404. The "
                    + "URL must be Athens' GOPROXY address, with its path prefix if it has one.");
        }
        return done(health, false, at() + " answered " + status + " for /healthz"
                + (status >= 500 ? ": Athens is failing, try again later." : ", which Athens does not answer."));
    }

    private Future<ConnectionReport> afterReady(ApiAnswer health, ApiAnswer ready) {
        if (ready.status() != 200) {
            return done(ready, false, at() + " is up but not ready (/readyz answered " + ready.status()
                    + "): it cannot use its storage; check Athens' storage settings and logs.");
        }
        String up = at() + " is up and ready" + (hasCredentials ? " and accepted the configured credentials" : "");
        return goproxy.call(endpoint("catalog?pagesize=1"))
                .map(catalog -> new ConnectionReport(true, health.tls(), true, health.latencyMillis(),
                        up + "; " + catalogSays(catalog)))
                .recover(failure -> Future.succeededFuture(new ConnectionReport(true, health.tls(), true,
                        health.latencyMillis(), up + ".")));
    }

    private static String catalogSays(ApiAnswer catalog) {
        if (catalog.status() == 501) {
            return "its storage keeps no catalog (/catalog answered 501), which is fine.";
        }
        if (catalog.status() == 200) {
            try {
                JsonObject json = new JsonObject(catalog.body());
                if (json.getValue("modules") == null || json.getJsonArray("modules").isEmpty()) {
                    return "its catalog is empty: it has stored no module yet.";
                }
                return "its catalog lists stored modules.";
            } catch (DecodeException | ClassCastException e) {
                return "its /catalog answer was not Athens' JSON.";
            }
        }
        return "/catalog answered " + catalog.status() + ".";
    }

    private static Future<ConnectionReport> done(ApiAnswer answer, boolean authenticated, String message) {
        return Future.succeededFuture(new ConnectionReport(true, answer.tls(), authenticated, answer.latencyMillis(),
                message));
    }
}
