package dev.vreg.host.upstream.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AddressRuleTest {

    private final AddressRule rule = AddressRule.allowingNetworks(List.of());

    @ParameterizedTest
    @CsvSource({
            "127.0.0.1, a loopback address",
            "127.255.0.9, a loopback address",
            "::1, a loopback address",
            "0.0.0.0, an unspecified address",
            "::, an unspecified address",
            "10.1.2.3, a private address",
            "172.16.0.1, a private address",
            "172.31.255.255, a private address",
            "192.168.1.1, a private address",
            "fd12:3456::1, a private address",
            "fc00::1, a private address",
            "100.64.0.1, a shared (carrier-grade NAT) address",
            "100.127.255.255, a shared (carrier-grade NAT) address",
            "169.254.169.254, a link-local address",
            "fe80::1, a link-local address",
            "224.0.0.1, a multicast address",
            "ff02::1, a multicast address",
            "255.255.255.255, a reserved or broadcast address",
            "64:ff9b::7f00:1, a loopback address",
            "64:ff9b::a9fe:a9fe, a link-local address"})
    void refusesAddressesThatReachTheHostOrItsNetworks(String address, String kind) throws Exception {
        assertThat(rule.refusal(InetAddress.getByName(address))).contains(kind);
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "172.32.0.1", "100.128.0.1", "192.169.0.1", "2606:4700::1111",
            "64:ff9b::808:808"})
    void letsPublicAddressesThrough(String address) throws Exception {
        assertThat(rule.refusal(InetAddress.getByName(address))).isEmpty();
    }

    @Test
    void readsIpv4MappedIpv6AddressesAsTheirIpv4Address() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
        // Inet6Address.getByAddress keeps the IPv6 form that InetAddress.getByAddress would turn into IPv4.
        InetAddress address = Inet6Address.getByAddress(null, mapped, -1);
        assertThat(address).isInstanceOf(Inet6Address.class);
        assertThat(rule.refusal(address)).contains("a loopback address");
        assertThat(AddressRule.allowingNetworks(List.of("127.0.0.1")).refusal(address)).isEmpty();
    }

    @Test
    void allowedNetworksLetTheirAddressesThroughAndNoOthers() throws Exception {
        AddressRule allowing = AddressRule.allowingNetworks(List.of("10.20.0.0/16", "127.0.0.1/32", "fd00::/8"));
        assertThat(allowing.refusal(InetAddress.getByName("10.20.3.4"))).isEmpty();
        assertThat(allowing.refusal(InetAddress.getByName("127.0.0.1"))).isEmpty();
        assertThat(allowing.refusal(InetAddress.getByName("fd00::5"))).isEmpty();
        assertThat(allowing.refusal(InetAddress.getByName("10.21.0.1"))).contains("a private address");
        assertThat(allowing.refusal(InetAddress.getByName("127.0.0.2"))).contains("a loopback address");
        assertThat(allowing.refusal(InetAddress.getByName("169.254.169.254"))).contains("a link-local address");
    }

    @Test
    void anUpstreamAllowedIntoPrivateNetworksMayConnectAnywhere() throws Exception {
        AddressRule lifted = rule.forUpstream(true);
        assertThat(lifted.unrestricted()).isTrue();
        assertThat(lifted.refusal(InetAddress.getByName("127.0.0.1"))).isEmpty();
        assertThat(rule.forUpstream(false)).isSameAs(rule);
    }

    @Test
    void messagesNameTheHostTheAddressAndHowToAllowIt() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        assertThat(AddressRule.refusedHost("127.0.0.1", loopback, "a loopback address"))
                .startsWith("the address 127.0.0.1 is a loopback address; an instance admin can allow it");
        assertThat(AddressRule.refusedHost("localhost", loopback, "a loopback address"))
                .startsWith("localhost resolves to 127.0.0.1, a loopback address; an instance admin can allow it");
        assertThat(AddressRule.refusedHost("[::1]", InetAddress.getByName("::1"), "a loopback address"))
                .startsWith("the address ::1 is a loopback address");
        assertThat(AddressRule.notAllowed("localhost:5432", loopback, "a loopback address"))
                .startsWith("the address 127.0.0.1 of upstream localhost:5432 is not allowed (a loopback address)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "10.0.0.0/33", "::/129", "10.0.0.0/x", "", "/8", "abc"})
    void allowedNetworksMustBeLiteralBlocks(String text) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @Test
    void aBlockContainsTheAddressesUnderItsPrefix() throws Exception {
        Cidr block = Cidr.parse("172.16.0.0/12");
        assertThat(block.contains(InetAddress.getByName("172.31.1.1"))).isTrue();
        assertThat(block.contains(InetAddress.getByName("172.32.0.0"))).isFalse();
        assertThat(block.contains(InetAddress.getByName("::1"))).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains(InetAddress.getByName("203.0.113.9"))).isTrue();
        assertThat(Cidr.parse("[2001:db8::]/32").contains(InetAddress.getByName("2001:db8:1::1"))).isTrue();
        assertThat(Cidr.parse("198.51.100.7").contains(InetAddress.getByName("198.51.100.8"))).isFalse();
    }
}
