package dev.vreg.host.http;

import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import java.util.List;

/**
 * An {@link ErrorKind#INVALID} request that names what is wrong, field by field. Problems in a body are answered
 * 422 (the body was read but its content is refused); a bad path or query parameter is 400, like any malformed
 * request.
 */
public final class InvalidFields extends VregException {

    private final List<FieldError> errors;
    private final boolean inBody;

    private InvalidFields(String message, List<FieldError> errors, boolean inBody) {
        super(ErrorKind.INVALID, message);
        this.errors = List.copyOf(errors);
        this.inBody = inBody;
    }

    /** Fields of the request body that are refused. */
    public static InvalidFields body(List<FieldError> errors) {
        return new InvalidFields("the request has " + errors.size() + " invalid field(s)", errors, true);
    }

    public static InvalidFields body(String field, String message) {
        return body(List.of(new FieldError(field, message)));
    }

    /** A path, query or header parameter that is refused. */
    public static InvalidFields parameter(String detail, FieldError error) {
        return new InvalidFields(detail, List.of(error), false);
    }

    public List<FieldError> errors() {
        return errors;
    }

    public boolean inBody() {
        return inBody;
    }
}
