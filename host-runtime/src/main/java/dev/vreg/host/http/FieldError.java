package dev.vreg.host.http;

/** One invalid field of a request body, or one invalid parameter, named as the caller sent it. */
public record FieldError(String field, String message) {
}
