package dev.vreg.host.upstream.address;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Which addresses upstream connections may go to. By default none that reach the host itself or the networks around
 * it: loopback, unspecified, link-local (where cloud metadata services answer), private, shared (carrier-grade NAT),
 * multicast, broadcast and reserved addresses, IPv4 and IPv6 alike, and IPv4 addresses written as IPv6
 * ({@code ::ffff:a.b.c.d}, NAT64 {@code 64:ff9b::a.b.c.d}). Otherwise a group maintainer could point an upstream at
 * the embedded database, an internal service or the metadata endpoint, and read what answers. The instance's
 * {@code upstreams.allowedNetworks} allow blocks of such addresses again, e.g. an internal proxy's; an instance
 * admin can lift the rule for one upstream.
 */
public final class AddressRule {

    private record Range(Cidr block, String kind) {
    }

    private static final String PRIVATE = "a private address";
    private static final String HOW_TO_ALLOW = "an instance admin can allow it (upstreams.allowedNetworks, or "
            + "allowPrivateNetwork on the upstream)";

    private static final List<Range> REFUSED = List.of(
            range("0.0.0.0/8", "an unspecified address"),
            range("127.0.0.0/8", "a loopback address"),
            range("10.0.0.0/8", PRIVATE),
            range("172.16.0.0/12", PRIVATE),
            range("192.168.0.0/16", PRIVATE),
            range("100.64.0.0/10", "a shared (carrier-grade NAT) address"),
            range("169.254.0.0/16", "a link-local address"),
            range("224.0.0.0/4", "a multicast address"),
            range("240.0.0.0/4", "a reserved or broadcast address"),
            range("::/128", "an unspecified address"),
            range("::1/128", "a loopback address"),
            range("fe80::/10", "a link-local address"),
            range("fec0::/10", PRIVATE),
            range("fc00::/7", PRIVATE),
            range("ff00::/8", "a multicast address"));

    /** IPv6 blocks that carry an IPv4 address in their last 32 bits, which is where the connection really goes. */
    private static final List<Cidr> EMBEDDING_IPV4 = List.of(Cidr.parse("64:ff9b::/96"));

    /** Lets every address through; for upstreams an instance admin allowed into private networks. */
    public static final AddressRule UNRESTRICTED = new AddressRule(null);

    private final List<Cidr> allowed;

    private AddressRule(List<Cidr> allowed) {
        this.allowed = allowed;
    }

    /** The default rule, with {@code allowedNetworks} (CIDR blocks) allowed again. */
    public static AddressRule allowing(List<Cidr> allowedNetworks) {
        return new AddressRule(List.copyOf(allowedNetworks));
    }

    /**
     * Reads {@code upstreams.allowedNetworks}.
     *
     * @throws IllegalArgumentException naming the first entry that is not a CIDR block or address
     */
    public static AddressRule allowingNetworks(List<String> allowedNetworks) {
        return allowing(allowedNetworks == null ? List.of()
                : allowedNetworks.stream().filter(s -> !s.isBlank()).map(Cidr::parse).toList());
    }

    /** This rule, or {@link #UNRESTRICTED} for an upstream an instance admin allowed into private networks. */
    public AddressRule forUpstream(boolean allowPrivateNetwork) {
        return allowPrivateNetwork ? UNRESTRICTED : this;
    }

    public boolean unrestricted() {
        return allowed == null;
    }

    /** What {@code address} is when it is refused ("a loopback address"); empty when connections may go there. */
    public Optional<String> refusal(InetAddress address) {
        if (allowed == null || allowed.stream().anyMatch(block -> block.contains(address))) {
            return Optional.empty();
        }
        Optional<String> kind = REFUSED.stream().filter(range -> range.block().contains(address))
                .map(Range::kind).findFirst();
        if (kind.isPresent()) {
            return kind;
        }
        if (EMBEDDING_IPV4.stream().anyMatch(block -> block.contains(address))) {
            return refusal(embeddedIpv4(address));
        }
        return Optional.empty();
    }

    /**
     * Why a connection to {@code authority} ({@code host:port}) was not opened, for the person who configured it:
     * "the address 127.0.0.1 of upstream localhost:5432 is not allowed (a loopback address); ...".
     */
    public static String notAllowed(String authority, InetAddress address, String kind) {
        return "the address " + Addresses.text(address) + " of upstream " + authority + " is not allowed (" + kind
                + "); " + HOW_TO_ALLOW;
    }

    /** Why an upstream URL with {@code host} is refused when it is saved, naming what the host resolved to. */
    public static String refusedHost(String host, InetAddress address, String kind) {
        String bare = Addresses.unbracketed(host);
        return (Addresses.isLiteral(bare) ? "the address " + bare + " is " + kind
                : bare + " resolves to " + Addresses.text(address) + ", " + kind) + "; " + HOW_TO_ALLOW;
    }

    private static InetAddress embeddedIpv4(InetAddress address) {
        byte[] bytes = address.getAddress();
        try {
            return InetAddress.getByAddress(new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Range range(String block, String kind) {
        return new Range(Cidr.parse(block), kind);
    }
}
