package dev.vreg.goproxy.client;

import dev.vreg.spi.Credentials;
import dev.vreg.spi.VregException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * The {@code Authorization} header a GOPROXY server expects for configured credentials: {@code Bearer <token>} when
 * a token is configured, otherwise {@code Basic} with the user name and password, which is what the go command
 * sends from {@code .netrc}.
 */
final class AuthorizationHeader {

    private AuthorizationHeader() {
    }

    /**
     * The header value, or {@code null} when there are no usable credentials.
     *
     * @throws VregException of kind INVALID when a secret could not travel in a header. The message never includes
     *                       the secret: Vert.x's own header check would otherwise echo it in an exception.
     */
    static String of(Credentials credentials) {
        if (credentials == null) {
            return null;
        }
        if (credentials.hasToken()) {
            requireHeaderSafe(credentials.token(), "token");
            if (credentials.token().isBlank()) {
                throw VregException.invalid("the upstream's token is empty");
            }
            return "Bearer " + credentials.token();
        }
        if (credentials.hasBasic()) {
            String username = Objects.requireNonNullElse(credentials.username(), "");
            requireHeaderSafe(username, "user name");
            requireHeaderSafe(credentials.password(), "password");
            if (username.indexOf(':') >= 0) {
                // RFC 7617: the user name ends at the first colon, so the server would see a different user.
                throw VregException.invalid("the upstream's user name must not contain ':'");
            }
            String pair = username + ":" + credentials.password();
            return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        }
        return null;
    }

    private static void requireHeaderSafe(String secret, String what) {
        for (int i = 0; i < secret.length(); i++) {
            char c = secret.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                throw VregException.invalid("the upstream's " + what + " contains a line break or control character");
            }
        }
    }
}
