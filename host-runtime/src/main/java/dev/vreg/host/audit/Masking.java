package dev.vreg.host.audit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;

/**
 * Hides secrets in what the audit log keeps of a request or an answer: the value of every field whose name ends in
 * password, secret, token or key (any case, at any depth: {@code credentials.password}, {@code accessToken}, a new
 * token's {@code token}, a webhook's {@code secret}) becomes {@value #MASK}. Identifiers such as {@code tokenId} keep
 * their value.
 */
public final class Masking {

    public static final String MASK = "***";

    private Masking() {
    }

    /** A masked copy of {@code value}; {@code null} stays {@code null}. */
    public static JsonObject mask(JsonObject value) {
        if (value == null) {
            return null;
        }
        JsonObject copy = new JsonObject();
        for (Map.Entry<String, Object> field : value) {
            copy.put(field.getKey(), secret(field.getKey()) && field.getValue() != null ? MASK
                    : masked(field.getValue()));
        }
        return copy;
    }

    private static Object masked(Object value) {
        if (value instanceof JsonObject o) {
            return mask(o);
        }
        if (value instanceof JsonArray a) {
            JsonArray copy = new JsonArray();
            a.forEach(item -> copy.add(masked(item)));
            return copy;
        }
        return value;
    }

    static boolean secret(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith("password") || n.endsWith("secret") || n.endsWith("token") || n.endsWith("key")
                || n.equals("authorization");
    }
}
