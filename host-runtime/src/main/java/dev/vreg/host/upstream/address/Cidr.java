package dev.vreg.host.upstream.address;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * A block of IPv4 or IPv6 addresses written as {@code address/prefix} ({@code 10.0.0.0/8}, {@code fd00::/8}); a
 * bare address is a block of one. Only literal addresses are read, so parsing never asks DNS.
 */
public final class Cidr {

    private final byte[] network;
    private final int prefix;
    private final String text;

    private Cidr(byte[] network, int prefix, String text) {
        this.network = network;
        this.prefix = prefix;
        this.text = text;
    }

    /** @throws IllegalArgumentException for anything but a literal address with an optional, fitting prefix */
    public static Cidr parse(String text) {
        String value = text.trim();
        int slash = value.indexOf('/');
        String address = slash < 0 ? value : value.substring(0, slash);
        if (address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        // Letters other than hex digits would make InetAddress ask DNS; a literal has none.
        if (address.isEmpty() || !address.matches("[0-9A-Fa-f.:]+") || !(address.contains(".")
                || address.contains(":"))) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR block");
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR block");
        }
        // Java reads ::ffff:a.b.c.d as the IPv4 address; the block is then in IPv4 terms.
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(value.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("'" + text + "': the prefix length must be 0 to " + bits);
            }
        }
        return new Cidr(masked(bytes, prefix), prefix, value);
    }

    /** Whether {@code address} (IPv4-mapped IPv6 addresses read as IPv4) lies in this block. */
    public boolean contains(InetAddress address) {
        byte[] bytes = Addresses.canonical(address);
        return bytes.length == network.length && Arrays.equals(masked(bytes, prefix), network);
    }

    private static byte[] masked(byte[] bytes, int prefix) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            int bitsHere = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] = (byte) (bytes[i] & (0xff << (8 - bitsHere)));
        }
        return out;
    }

    @Override
    public String toString() {
        return text;
    }
}
