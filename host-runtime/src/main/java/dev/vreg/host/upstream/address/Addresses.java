package dev.vreg.host.upstream.address;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.util.Arrays;

/** Small facts about IP addresses that Java does not offer. */
final class Addresses {

    private static final byte[] MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

    private Addresses() {
    }

    /** The address's bytes, an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) as its four IPv4 bytes. */
    static byte[] canonical(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 16 && Arrays.equals(bytes, 0, 12, MAPPED_PREFIX, 0, 12)) {
            return Arrays.copyOfRange(bytes, 12, 16);
        }
        return bytes;
    }

    /** The address as text, without a host name; IPv6 compressed as RFC 5952 says ({@code ::1}). */
    static String text(InetAddress address) {
        return NetUtil.toAddressString(address);
    }

    /** {@code host} without the brackets a URL puts around an IPv6 address. */
    static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** Whether {@code host} is an IP address rather than a name. */
    static boolean isLiteral(String host) {
        return NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host);
    }
}
