package dev.vreg.host.api;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import io.vertx.openapi.validation.ValidatorException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * Checks every successful admin API answer a test receives against the response the API description promises for
 * that operation, so the description cannot drift from what the server sends (requests are checked by the server
 * itself).
 */
final class ResponseConformance {

    private static ResponseConformance instance;

    private final ApiContract contract;
    private final ResponseValidator validator;

    private ResponseConformance(Vertx vertx) {
        this.contract = ApiContract.load(vertx).await();
        this.validator = ResponseValidator.create(vertx, contract.openApi());
    }

    static synchronized ResponseConformance get() {
        if (instance == null) {
            instance = new ResponseConformance(Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1)
                    .setWorkerPoolSize(1)));
        }
        return instance;
    }

    /** @throws AssertionError when a 2xx answer to an admin API call does not match its description */
    void check(String method, URI uri, int status, Map<String, String> headers, String contentType, String body) {
        if (status < 200 || status > 299 || !uri.getPath().startsWith("/api/v1/")
                || uri.getPath().equals("/api/v1/openapi.yaml")) {
            return;
        }
        Operation operation = contract.openApi().findOperation(uri.getPath(), HttpMethod.valueOf(method));
        if (operation == null) {
            throw new AssertionError(method + " " + uri.getPath() + " answered " + status
                    + " but the API description has no such operation");
        }
        Map<String, String> lowerCase = new HashMap<>();
        headers.forEach((name, value) -> lowerCase.put(name, value));
        ValidatableResponse response = body == null || body.isEmpty()
                ? ValidatableResponse.create(status, lowerCase)
                : ValidatableResponse.create(status, lowerCase, Buffer.buffer(body), contentType);
        try {
            validator.validate(response, operation.getOperationId()).await();
        } catch (ValidatorException e) {
            throw new AssertionError(method + " " + uri.getPath() + " answered " + status
                    + " with what its description in docs/openapi.yaml does not allow: " + e.getMessage()
                    + "\n" + body, e);
        }
    }
}
