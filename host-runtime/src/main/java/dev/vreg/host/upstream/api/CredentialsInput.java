package dev.vreg.host.upstream.api;

import dev.vreg.host.api.Fields;

import dev.vreg.host.secrets.CredentialCipher;
import dev.vreg.spi.Credentials;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * The {@code credentials} field of an upstream: {@code {"username", "password"}} or {@code {"token"}}, or
 * {@code null} to remove them. Stored only encrypted, with a keyed digest for the duplicate guard.
 *
 * @param given     whether the request mentions credentials at all
 * @param encrypted the value for the {@code credentials} column ({@code null}: none)
 * @param digest    the value for {@code credentials_digest} ({@code ""}: none)
 */
public record CredentialsInput(boolean given, byte[] encrypted, String digest) {

    public static final CredentialsInput ABSENT = new CredentialsInput(false, null, "");

    public static CredentialsInput read(Fields fields, Optional<CredentialCipher> cipher) {
        if (!fields.has("credentials")) {
            return ABSENT;
        }
        JsonObject value = fields.object("credentials");
        if (value == null) {
            return new CredentialsInput(true, null, "");
        }
        if (cipher.isEmpty()) {
            fields.error("credentials", "cannot be stored: this vreg has no security.encryptionKey configured");
            return ABSENT;
        }
        Credentials credentials = parse(fields, value);
        if (credentials == null) {
            return ABSENT;
        }
        return new CredentialsInput(true, cipher.get().encrypt(credentials), cipher.get().digest(credentials));
    }

    /** The credentials as given, to be used once and not stored, so no cipher is needed ({@code null}: none). */
    public static Credentials plain(Fields fields) {
        JsonObject value = fields.object("credentials");
        return value == null ? null : parse(fields, value);
    }

    private static Credentials parse(Fields fields, JsonObject value) {
        Object username = value.getValue("username");
        Object password = value.getValue("password");
        Object token = value.getValue("token");
        boolean unknown = value.fieldNames().stream().anyMatch(f -> !f.equals("username") && !f.equals("password")
                && !f.equals("token"));
        if (!unknown && token instanceof String t && !t.isEmpty() && username == null && password == null) {
            return Credentials.token(t);
        }
        if (!unknown && token == null && username instanceof String u && password instanceof String p
                && !u.isEmpty() && !p.isEmpty()) {
            return Credentials.basic(u, p);
        }
        fields.error("credentials", "must be {\"username\", \"password\"} or {\"token\"} with non-empty strings");
        return null;
    }
}
