package dev.vreg.spi;

/**
 * A connection an HTTP client from {@link PluginContext#createHttpClient} refused to open, before anything was sent,
 * because the address it would go to is not one upstreams may use (loopback, link-local, private and similar
 * addresses, unless the instance allows them). The message names the host and the address and is safe to show.
 * Plugins report it as they report any upstream they cannot reach, with this message, so a person learns why.
 */
public final class AddressNotAllowedException extends VregException {

    public AddressNotAllowedException(String message) {
        super(ErrorKind.UPSTREAM_UNAVAILABLE, message);
    }
}
