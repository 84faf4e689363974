package dev.vreg.upstream.gitlab;

import dev.vreg.spi.Credentials;
import dev.vreg.spi.VregException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * How credentials travel to GitLab: personal, group and project access tokens in {@code PRIVATE-TOKEN} (or as
 * {@code Authorization: Bearer} for OAuth tokens, when the settings say so), deploy tokens as Basic with the deploy
 * token's user name. {@link #toString()} never shows the secret.
 *
 * @param header the header name, or null when no credentials are configured
 * @param value  the header value
 * @param kind   what the credentials are, for messages: {@code none}, {@code token}, {@code deploy token}
 */
record GitlabAuth(String header, String value, String kind) {

    static final GitlabAuth NONE = new GitlabAuth(null, null, "none");

    static GitlabAuth of(Credentials credentials, boolean bearer) {
        if (credentials == null) {
            return NONE;
        }
        if (credentials.hasToken()) {
            String token = credentials.token();
            requireHeaderSafe(token, "token");
            if (token.isBlank()) {
                throw VregException.invalid("the upstream's token is empty");
            }
            return bearer ? new GitlabAuth("Authorization", "Bearer " + token, "token")
                    : new GitlabAuth("PRIVATE-TOKEN", token, "token");
        }
        if (credentials.hasBasic()) {
            String username = Objects.requireNonNullElse(credentials.username(), "");
            requireHeaderSafe(username, "user name");
            requireHeaderSafe(credentials.password(), "password");
            if (username.indexOf(':') >= 0) {
                throw VregException.invalid("the upstream's user name must not contain ':'");
            }
            String pair = username + ":" + credentials.password();
            return new GitlabAuth("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)),
                    "deploy token");
        }
        return NONE;
    }

    boolean present() {
        return header != null;
    }

    private static void requireHeaderSafe(String secret, String what) {
        for (int i = 0; i < secret.length(); i++) {
            char c = secret.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                throw VregException.invalid("the upstream's " + what + " contains a line break or control character");
            }
        }
    }

    @Override
    public String toString() {
        return "GitlabAuth[" + kind + "]";
    }
}
