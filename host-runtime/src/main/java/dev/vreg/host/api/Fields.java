package dev.vreg.host.api;

import dev.vreg.spi.VregException;
import dev.vreg.host.http.InvalidFields;
import dev.vreg.host.http.FieldError;
import dev.vreg.host.pull.RegistryPath;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and checks the fields of a JSON request body, collecting every problem so one answer lists them all.
 * Getters return {@code null} for an absent or invalid field; {@link #check()} throws when anything was invalid.
 */
public final class Fields {

    public static final Pattern NAME = RegistryPath.NAME;

    private final JsonObject body;
    private final List<FieldError> errors = new ArrayList<>();

    private Fields(JsonObject body) {
        this.body = body;
    }

    /** The body of {@code ctx}, which must be a JSON object; fields other than {@code known} are refused. */
    public static Fields of(RoutingContext ctx, String... known) {
        String text = ctx.body() == null ? null : ctx.body().asString();
        JsonObject body;
        if (text == null || text.isBlank()) {
            body = new JsonObject();
        } else {
            try {
                body = ctx.body().asJsonObject();
            } catch (RuntimeException e) {
                body = null;
            }
            if (body == null) {
                throw VregException.invalid("the body must be a JSON object");
            }
        }
        return of(body, known);
    }

    /** The fields of {@code body}; fields other than {@code known} are refused. */
    public static Fields of(JsonObject body, String... known) {
        Fields fields = new Fields(body);
        Set<String> allowed = Set.of(known);
        body.fieldNames().stream().filter(f -> !allowed.contains(f)).sorted()
                .forEach(f -> fields.error(f, "is not a known field"));
        return fields;
    }

    public boolean has(String field) {
        return body.containsKey(field);
    }

    public void error(String field, String message) {
        errors.add(new FieldError(field, message));
    }

    public String name(String field, boolean required) {
        String value = string(field, required, 64);
        if (value != null && !NAME.matcher(value).matches()) {
            error(field, "must be 1-64 lower-case letters, digits, '.', '_' or '-', starting and ending with a "
                    + "letter or digit");
            return null;
        }
        return value;
    }

    public String string(String field, boolean required, int maxLength) {
        Object value = body.getValue(field);
        if (value == null) {
            if (required) {
                error(field, "is required");
            }
            return null;
        }
        if (!(value instanceof String s) || s.isBlank()) {
            error(field, "must be a non-empty string");
            return null;
        }
        if (s.length() > maxLength) {
            error(field, "must be at most " + maxLength + " characters");
            return null;
        }
        return s;
    }

    public Boolean bool(String field) {
        Object value = body.getValue(field);
        if (value != null && !(value instanceof Boolean)) {
            error(field, "must be true or false");
            return null;
        }
        return (Boolean) value;
    }

    public Long integer(String field, long min, long max, boolean required) {
        Object value = body.getValue(field);
        if (value == null) {
            if (required) {
                error(field, "is required");
            }
            return null;
        }
        if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                || n.longValue() < min || n.longValue() > max) {
            error(field, "must be a whole number from " + min + " to " + max);
            return null;
        }
        return n.longValue();
    }

    public JsonObject object(String field) {
        Object value = body.getValue(field);
        if (value != null && !(value instanceof JsonObject)) {
            error(field, "must be a JSON object");
            return null;
        }
        return (JsonObject) value;
    }

    public List<String> strings(String field) {
        Object value = body.getValue(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof JsonArray array) || array.stream().anyMatch(v -> !(v instanceof String s)
                || s.isBlank())) {
            error(field, "must be a list of non-empty strings");
            return null;
        }
        return array.stream().map(String.class::cast).toList();
    }

    public Instant instant(String field) {
        String value = string(field, false, 64);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            error(field, "must be an RFC 3339 time such as 2030-01-31T00:00:00Z");
            return null;
        }
    }

    /** An http(s) URL without user information (credentials have their own field), query or fragment. */
    public String url(String field, boolean required) {
        String value = string(field, required, 2048);
        if (value == null) {
            return null;
        }
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                error(field, "must be an absolute http:// or https:// URL");
            } else if (uri.getRawUserInfo() != null) {
                error(field, "must not contain user information; set credentials separately");
            } else if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                error(field, "must not have a query or fragment");
            } else {
                return value.replaceAll("/+$", "");
            }
        } catch (URISyntaxException e) {
            error(field, "is not a valid URL");
        }
        return null;
    }

    public void check() {
        if (!errors.isEmpty()) {
            throw InvalidFields.body(errors);
        }
    }
}
