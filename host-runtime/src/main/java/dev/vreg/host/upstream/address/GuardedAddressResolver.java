package dev.vreg.host.upstream.address;

import dev.vreg.spi.AddressNotAllowedException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.resolver.NameResolver;
import io.vertx.core.net.Address;
import io.vertx.core.net.AddressResolver;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.endpoint.EndpointBuilder;
import io.vertx.core.spi.endpoint.EndpointResolver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The address resolver of the HTTP clients plugins get: resolves a request's host with the node's own resolver
 * (hosts file and DNS, as Vert.x would) and hands the client only an address the {@link AddressRule} allows, as an
 * IP address, so nothing resolves the name again between this check and the connection. A name resolving again to
 * another address (DNS rebinding) is checked again. The first allowed address is used, as Vert.x uses the first
 * one; when none is allowed the request fails with an {@link AddressNotAllowedException} and no packet is sent.
 * Unix domain sockets are refused outright.
 */
public final class GuardedAddressResolver implements AddressResolver<SocketAddress> {

    /** How long a resolution is reused for new connections before the name is resolved (and checked) again. */
    private static final long REUSE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final AddressRule rule;
    private final Consumer<AddressNotAllowedException> refused;

    /** @param refused told of every refusal, before the request fails with it */
    public GuardedAddressResolver(AddressRule rule, Consumer<AddressNotAllowedException> refused) {
        this.rule = rule;
        this.refused = refused;
    }

    @Override
    public EndpointResolver<SocketAddress, ?, ?, ?> endpointResolver(Vertx vertx) {
        return new Resolver<>(((VertxInternal) vertx).nameResolver());
    }

    /** One resolution: the endpoint built from the allowed address, and when it was made. */
    private record Resolved<L>(L endpoint, long atNanos) {
    }

    private final class Resolver<L> implements EndpointResolver<SocketAddress, SocketAddress, Resolved<L>, L> {

        private final NameResolver names;

        Resolver(NameResolver names) {
            this.names = names;
        }

        @Override
        public SocketAddress tryCast(Address address) {
            return address instanceof SocketAddress socket ? socket : null;
        }

        @Override
        public SocketAddress addressOf(SocketAddress server) {
            return server;
        }

        @Override
        public Future<Resolved<L>> resolve(SocketAddress address, EndpointBuilder<L, SocketAddress> builder) {
            if (!address.isInetSocket()) {
                return refuse(new AddressNotAllowedException("upstreams are reached over TCP only, not through "
                        + "the local socket " + address));
            }
            String host = Addresses.unbracketed(address.host());
            int port = address.port();
            Promise<List<InetSocketAddress>> resolved = Promise.promise();
            names.resolveAll(host, resolved::handle);
            return resolved.future().compose(candidates -> {
                Optional<String> firstRefusal = Optional.empty();
                InetAddress first = null;
                for (InetSocketAddress candidate : candidates) {
                    InetAddress ip = candidate.getAddress();
                    Optional<String> refusal = rule.refusal(ip);
                    if (refusal.isEmpty()) {
                        return Future.succeededFuture(new Resolved<>(builder.addServer(
                                SocketAddress.inetSocketAddress(new InetSocketAddress(bare(ip), port))).build(),
                                System.nanoTime()));
                    }
                    if (first == null) {
                        first = ip;
                        firstRefusal = refusal;
                    }
                }
                if (first == null) {
                    return Future.failedFuture(new UnknownHostException(host));
                }
                return refuse(new AddressNotAllowedException(AddressRule.notAllowed(authority(host, port), first,
                        firstRefusal.orElseThrow())));
            });
        }

        private Future<Resolved<L>> refuse(AddressNotAllowedException refusal) {
            refused.accept(refusal);
            return Future.failedFuture(refusal);
        }

        @Override
        public L endpoint(Resolved<L> state) {
            return state.endpoint();
        }

        @Override
        public boolean isValid(Resolved<L> state) {
            return System.nanoTime() - state.atNanos() < REUSE_NANOS;
        }

        @Override
        public void dispose(Resolved<L> state) {
        }

        @Override
        public void close() {
        }
    }

    /** The IP address alone, so the connection goes to it without any name being resolved again. */
    private static InetAddress bare(InetAddress ip) {
        try {
            return InetAddress.getByAddress(ip.getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String authority(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
