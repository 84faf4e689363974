package dev.vreg.host.upstream;

import dev.vreg.host.upstream.address.UrlAddressCheck;
import dev.vreg.spi.AddressNotAllowedException;
import dev.vreg.spi.ConnectionReport;
import dev.vreg.spi.Credentials;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Connection tests as people see them. An address the instance does not let upstreams use is reported as not
 * allowed, and nothing is sent to it. Otherwise the plugin's report stands, with one exception: when the upstream
 * could not be reached, group maintainers are told only that. Whether the connection was refused, reset or timed
 * out (and how soon) is the instance admin's to see, or the test would tell anyone who may configure an upstream
 * which ports of a host are open.
 */
public final class ConnectionTests {

    /**
     * One test's report, in full and as everyone else sees it (also what is kept as the upstream's status).
     */
    public record Outcome(ConnectionReport detailed, ConnectionReport general) {

        public ConnectionReport shownTo(boolean instanceAdmin) {
            return instanceAdmin ? detailed : general;
        }
    }

    private final UpstreamOpener opener;
    private final UrlAddressCheck addresses;

    public ConnectionTests(UpstreamOpener opener, UrlAddressCheck addresses) {
        this.opener = opener;
        this.addresses = addresses;
    }

    /** The test of a stored upstream. */
    public Future<Outcome> stored(StoredUpstream upstream) {
        return run(upstream.url(), upstream.allowPrivateNetwork(), refused -> opener.test(upstream, refused));
    }

    /** The test of a configuration that is not stored; {@code credentials} {@code null}: none. */
    public Future<Outcome> unsaved(String kind, String url, Credentials credentials, JsonObject settings,
                                   boolean allowPrivateNetwork) {
        return run(url, allowPrivateNetwork, refused -> opener.test("unsaved-test", kind, url, credentials, settings,
                allowPrivateNetwork, refused));
    }

    private Future<Outcome> run(String url, boolean allowPrivateNetwork,
                                Function<Consumer<AddressNotAllowedException>, Future<UpstreamOpener.Tested>> test) {
        String authority = authority(url);
        return addresses.check(url, allowPrivateNetwork).compose(verdict -> {
            if (verdict.refusal() != null) {
                return Future.succeededFuture(same(unreachable("Upstream " + authority + " is not allowed: "
                        + verdict.refusal())));
            }
            if (verdict.unresolved()) {
                return Future.succeededFuture(same(unreachable("The host name of upstream " + authority
                        + " could not be resolved")));
            }
            List<AddressNotAllowedException> refused = new CopyOnWriteArrayList<>();
            return test.apply(refused::add).map(report -> outcome(report, refused, authority));
        });
    }

    private static Outcome outcome(UpstreamOpener.Tested tested, List<AddressNotAllowedException> refused,
                                   String authority) {
        ConnectionReport report = tested.report();
        if (!report.ok() && !refused.isEmpty()) {
            // A redirect to a refused address, or a name that resolves differently now than when it was checked.
            return same(unreachable(refused.get(0).getMessage()));
        }
        if (report.reachable() || !tested.contacted()) {
            return same(report);
        }
        return new Outcome(report, unreachable("Could not connect to upstream " + authority
                + "; an instance admin running this test sees why"));
    }

    private static Outcome same(ConnectionReport report) {
        return new Outcome(report, report);
    }

    private static ConnectionReport unreachable(String message) {
        String sentence = Character.toUpperCase(message.charAt(0)) + message.substring(1);
        return new ConnectionReport(false, false, false, -1, sentence.endsWith(".") ? sentence : sentence + ".");
    }

    /** {@code host:port} of an http(s) URL, the port filled in from the scheme when it is left out. */
    static String authority(String url) {
        URI uri = URI.create(url);
        int port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return uri.getHost() + ":" + port;
    }
}
