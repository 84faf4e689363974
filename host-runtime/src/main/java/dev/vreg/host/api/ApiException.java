package dev.vreg.host.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A failure of an admin API call, answered as {@code application/problem+json}. The detail is written for the
 * caller and must never contain a credential.
 */
public final class ApiException extends RuntimeException {

    /** One invalid field of a request body. */
    public record FieldError(String field, String message) {
    }

    private final int status;
    private final String title;
    private final List<FieldError> errors;

    public ApiException(int status, String title, String detail, List<FieldError> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(400, "Bad request", detail, List.of());
    }

    public static ApiException invalid(List<FieldError> errors) {
        return new ApiException(422, "Invalid request", "the request has " + errors.size() + " invalid field(s)",
                errors);
    }

    public static ApiException unauthorized(String detail) {
        return new ApiException(401, "Unauthorized", detail, List.of());
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(403, "Forbidden", detail, List.of());
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, "Not found", detail, List.of());
    }

    public static ApiException conflict(String detail) {
        return new ApiException(409, "Conflict", detail, List.of());
    }

    public int status() {
        return status;
    }

    public JsonObject toJson() {
        JsonObject problem = new JsonObject()
                .put("type", "about:blank")
                .put("title", title)
                .put("status", status)
                .put("detail", getMessage());
        if (!errors.isEmpty()) {
            JsonArray list = new JsonArray();
            errors.forEach(e -> list.add(new JsonObject().put("field", e.field()).put("message", e.message())));
            problem.put("errors", list);
        }
        return problem;
    }
}
