package dev.vreg.host.identity;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Reads the token out of an {@code Authorization} header: {@code Bearer TOKEN}, or {@code Basic} with the token as
 * the password and any user name (what {@code .netrc} and GOAUTH send).
 */
public final class AuthorizationHeader {

    private AuthorizationHeader() {
    }

    public static Optional<String> token(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String value = header.strip();
        int space = value.indexOf(' ');
        if (space < 0) {
            return Optional.empty();
        }
        String scheme = value.substring(0, space);
        String credentials = value.substring(space + 1).strip();
        if (scheme.equalsIgnoreCase("Bearer")) {
            return credentials.isEmpty() ? Optional.empty() : Optional.of(credentials);
        }
        if (scheme.equalsIgnoreCase("Basic")) {
            return basicPassword(credentials);
        }
        return Optional.empty();
    }

    private static Optional<String> basicPassword(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        String password = colon < 0 ? "" : decoded.substring(colon + 1);
        // Some clients can only put a token in the user name; accept it there when the password is empty.
        String token = password.isEmpty() ? (colon < 0 ? decoded : decoded.substring(0, colon)) : password;
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }
}
