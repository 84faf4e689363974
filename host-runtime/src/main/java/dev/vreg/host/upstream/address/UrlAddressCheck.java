package dev.vreg.host.upstream.address;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * The {@link AddressRule} applied to an upstream URL when it is saved or tried: its host is resolved now and the URL
 * refused when no address it resolves to is allowed. A first, friendly answer only; what a name resolves to can
 * change, so the HTTP clients check again at every connection ({@link GuardedAddressResolver}).
 */
public final class UrlAddressCheck {

    /**
     * What the check found.
     *
     * @param refusal    why the URL is refused; {@code null} when it is not
     * @param unresolved the host name resolved to nothing (it may later: saving is not refused for it)
     */
    public record Verdict(String refusal, boolean unresolved) {

        static final Verdict ALLOWED = new Verdict(null, false);
    }

    private final Vertx vertx;
    private final AddressRule rule;

    public UrlAddressCheck(Vertx vertx, AddressRule rule) {
        this.vertx = vertx;
        this.rule = rule;
    }

    /** The check of {@code url}, an absolute http(s) URL, for an upstream allowed into private networks or not. */
    public Future<Verdict> check(String url, boolean allowPrivateNetwork) {
        AddressRule applied = rule.forUpstream(allowPrivateNetwork);
        if (applied.unrestricted()) {
            return Future.succeededFuture(Verdict.ALLOWED);
        }
        String host = URI.create(url).getHost();
        if (host == null) {
            return Future.succeededFuture(Verdict.ALLOWED);
        }
        Promise<List<InetSocketAddress>> resolved = Promise.promise();
        ((VertxInternal) vertx).nameResolver().resolveAll(Addresses.unbracketed(host), resolved::handle);
        return resolved.future()
                .map(addresses -> verdict(applied, host, addresses))
                .otherwise(failure -> new Verdict(null, true));
    }

    private static Verdict verdict(AddressRule rule, String host, List<InetSocketAddress> addresses) {
        String first = null;
        for (InetSocketAddress socket : addresses) {
            InetAddress address = socket.getAddress();
            Optional<String> refusal = rule.refusal(address);
            if (refusal.isEmpty()) {
                return Verdict.ALLOWED;
            }
            if (first == null) {
                first = AddressRule.refusedHost(host, address, refusal.get());
            }
        }
        return first == null ? new Verdict(null, true) : new Verdict(first, false);
    }
}
