package dev.vreg.host.api;

import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import dev.vreg.host.http.InvalidFields;
import dev.vreg.host.http.FieldError;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.json.schema.common.dsl.SchemaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.ValidatableRequestImpl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The admin API's OpenAPI document ({@code docs/openapi.yaml}, packaged with the host) as the router's source of
 * truth: every operation is bound to its handler by {@code operationId}, every request is validated against the
 * operation's parameters and body schema before the handler runs, and an operation without a handler (or a handler
 * for an operation the document lacks) stops the start. The document therefore cannot drift from the code.
 */
public final class ApiContract {

    /** Where the build puts the document, relative to the classpath. */
    public static final String LOCATION = "dev/vreg/host/api/openapi.yaml";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private static final String PROBLEM_JSON = "application/problem+json";
    /** The audit log's export: one JSON object a line. */
    private static final String NDJSON = "application/x-ndjson";
    private static final String JSON = "application/json";

    private final OpenAPIContract contract;
    private final JsonObject document;

    private ApiContract(OpenAPIContract contract, JsonObject document) {
        this.contract = contract;
        this.document = document;
    }

    /**
     * Reads and checks the packaged document; fails when it is not a valid OpenAPI 3.1 document. The YAML, about
     * 100 KB, is parsed on a worker thread: at start it takes the event loop long enough to hold up the other parts.
     */
    public static Future<ApiContract> load(Vertx vertx) {
        return vertx.executeBlocking(() -> parse(vertx.fileSystem().readFileBlocking(LOCATION)), false)
                .compose(document -> OpenAPIContract.from(vertx, withoutProblemContent(document))
                        .map(contract -> new ApiContract(contract, document)));
    }

    private static JsonObject parse(Buffer yaml) {
        try {
            return new JsonObject(YAML.readValue(yaml.getBytes(), MAP));
        } catch (IOException e) {
            throw new UncheckedIOException("the admin API's OpenAPI document is not valid YAML", e);
        }
    }

    /**
     * The validator refuses to load a document whose responses use media types it cannot validate, and RFC 9457
     * {@code application/problem+json} is one of them, as is NDJSON. Responses are not validated at run time, so the
     * copy it gets describes such responses without their content; the published document keeps it.
     */
    public static JsonObject withoutProblemContent(JsonObject document) {
        JsonObject copy = document.copy();
        List<JsonObject> responses = new ArrayList<>();
        JsonObject shared = copy.getJsonObject("components", new JsonObject()).getJsonObject("responses");
        if (shared != null) {
            shared.forEach(e -> responses.add((JsonObject) e.getValue()));
        }
        copy.getJsonObject("paths", new JsonObject()).forEach(path -> ((JsonObject) path.getValue()).forEach(op -> {
            if (op.getValue() instanceof JsonObject operation && operation.getJsonObject("responses") != null) {
                operation.getJsonObject("responses").forEach(r -> responses.add((JsonObject) r.getValue()));
            }
        }));
        for (JsonObject response : responses) {
            JsonObject content = response.getJsonObject("content");
            if (content != null) {
                content.remove(PROBLEM_JSON);
                content.remove(NDJSON);
                if (content.isEmpty()) {
                    response.remove("content");
                }
            }
        }
        return copy;
    }

    public OpenAPIContract openApi() {
        return contract;
    }

    /**
     * Wraps the handler of each operation, so a concern of every operation (recording what it changed) is written
     * once. {@code bound} finds the handler bound to another operation, by method and path, while requests run.
     */
    @FunctionalInterface
    public interface Decorator {
        Handler<RoutingContext> decorate(Operation operation, Handler<RoutingContext> handler, Bound bound);
    }

    /** The handlers bound so far, by method and OpenAPI path ({@code GET /groups/{group}}). */
    @FunctionalInterface
    public interface Bound {
        Handler<RoutingContext> handler(io.vertx.core.http.HttpMethod method, String path);
    }

    /** Collects the handlers of one router. */
    public final class Binder {

        private final RouterBuilder builder;
        private final Decorator decorator;
        private final Map<String, Handler<RoutingContext>> bound = new java.util.concurrent.ConcurrentHashMap<>();

        private Binder(RouterBuilder builder, Decorator decorator) {
            this.builder = builder;
            this.decorator = decorator;
        }

        /** Serves {@code operationId} with {@code handler}, after authentication and request validation. */
        public Binder bind(String operationId, Handler<RoutingContext> handler) {
            OpenAPIRoute route = builder.getRoute(operationId);
            if (route == null) {
                throw new IllegalStateException("the OpenAPI document has no operation " + operationId);
            }
            if (!route.getHandlers().isEmpty()) {
                throw new IllegalStateException("operation " + operationId + " is bound twice");
            }
            Operation operation = route.getOperation();
            bound.put(operation.getHttpMethod().name() + " " + operation.getOpenAPIPath(), handler);
            route.addHandler(decorator.decorate(operation, handler,
                    (method, path) -> bound.get(method.name() + " " + path))).addFailureHandler(ctx -> answerInvalid(ctx, operation, document));
            return this;
        }
    }

    /**
     * A router for the document's operations: {@code rootHandlers} run for every request first (body reading,
     * authentication), then validation, then the handler {@code bindings} gave the operation.
     */
    public Router router(Vertx vertx, List<Handler<RoutingContext>> rootHandlers, Consumer<Binder> bindings) {
        return router(vertx, rootHandlers, bindings, (operation, handler, bound) -> handler);
    }

    /** As above, each operation's handler wrapped by {@code decorator}. */
    public Router router(Vertx vertx, List<Handler<RoutingContext>> rootHandlers, Consumer<Binder> bindings,
                         Decorator decorator) {
        RouterBuilder builder = RouterBuilder.create(vertx, contract, ApiContract::extract);
        rootHandlers.forEach(builder::rootHandler);
        // Authentication is a root handler, so it also guards paths the document does not know; the document's
        // security scheme describes it for clients.
        builder.getRoutes().forEach(route -> route.setDoSecurity(false));
        bindings.accept(new Binder(builder, decorator));
        List<String> unbound = builder.getRoutes().stream().filter(r -> r.getHandlers().isEmpty())
                .map(r -> r.getOperation().getOperationId()).sorted().toList();
        if (!unbound.isEmpty()) {
            throw new IllegalStateException("operations without a handler: " + unbound);
        }
        return builder.createRouter();
    }

    /**
     * What the validator checks of a request: its path, query and header parameters and its body. Values are taken
     * once decoded from vertx-web (the library's own extractor decodes query values a second time, which turns a
     * {@code +} in {@code v2.0.0+incompatible} into a space), and string parameters are handed over JSON-quoted,
     * because the validator reads a value as JSON before it checks the schema (so {@code 1.5} would stop being a
     * string). The document has no cookie, array or object parameters.
     */
    private static Future<ValidatableRequest> extract(RoutingContext ctx, Operation operation) {
        Map<String, RequestParameter> path = new HashMap<>();
        Map<String, RequestParameter> query = new HashMap<>();
        Map<String, RequestParameter> headers = new HashMap<>();
        for (Parameter parameter : operation.getParameters()) {
            String name = parameter.getName();
            switch (parameter.getIn()) {
                case PATH -> put(path, parameter, ctx.pathParam(name));
                case QUERY -> put(query, parameter, ctx.queryParams().get(name));
                case HEADER -> put(headers, parameter, ctx.request().getHeader(name));
                default -> {
                }
            }
        }
        Buffer body = ctx.body() == null ? null : ctx.body().buffer();
        // A body without a Content-Type is read as JSON; one that names another type is refused (415).
        String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        return Future.succeededFuture(new ValidatableRequestImpl(Map.of(), headers, path, query,
                new RequestParameterImpl(body), contentType == null ? JSON : contentType));
    }

    private static void put(Map<String, RequestParameter> values, Parameter parameter, String value) {
        if (value != null) {
            values.put(parameter.getName(), new RequestParameterImpl(
                    parameter.getSchemaType() == SchemaType.STRING ? Json.encode(value) : value));
        }
    }

    /**
     * Answers a request that failed validation as problem JSON: body problems as 422 with each invalid field,
     * parameter problems as 400 naming the parameter. Other failures go on to the router's error handling.
     */
    private static void answerInvalid(RoutingContext ctx, Operation operation, JsonObject document) {
        Throwable failure = ctx.failure();
        ValidatorException invalid = failure instanceof ValidatorException v ? v
                : failure != null && failure.getCause() instanceof ValidatorException v ? v : null;
        if (invalid == null) {
            ctx.next();
            return;
        }
        Endpoint.fail(ctx.response(), problem(invalid, operation, document));
    }

    public static VregException problem(ValidatorException invalid, Operation operation, JsonObject document) {
        Parameter parameter = parameterNamedIn(invalid.getMessage(), operation);
        if (parameter != null) {
            String where = parameter.getIn().name().toLowerCase(Locale.ROOT);
            String reason = invalid.type() == ValidatorErrorType.MISSING_REQUIRED_PARAMETER ? "is required"
                    : invalid instanceof SchemaValidationException s && s.getOutputUnit() != null
                    ? SchemaErrors.fieldErrors(s.getOutputUnit(), "", SchemaErrors.within(document,
                            "/components/schemas/")).get(0).message()
                    : "is not valid";
            return InvalidFields.parameter("the " + where + " parameter " + parameter.getName() + " " + reason,
                    new FieldError(parameter.getName(), reason));
        }
        if (invalid.type() == ValidatorErrorType.MISSING_REQUIRED_PARAMETER) {
            return VregException.invalid("a JSON body is required");
        }
        if (invalid.type() == ValidatorErrorType.UNSUPPORTED_VALUE_FORMAT) {
            return new VregException(ErrorKind.UNSUPPORTED_MEDIA_TYPE, "the body must be application/json");
        }
        if (invalid instanceof SchemaValidationException s && s.getOutputUnit() != null) {
            return InvalidFields.body(SchemaErrors.fieldErrors(s.getOutputUnit(), "",
                    SchemaErrors.within(document, "/components/schemas/")));
        }
        if (invalid.type() == ValidatorErrorType.ILLEGAL_VALUE || invalid.type() == ValidatorErrorType.INVALID_VALUE) {
            return VregException.invalid("the body is not valid JSON");
        }
        return VregException.invalid("the request does not match the API description");
    }

    private static Parameter parameterNamedIn(String message, Operation operation) {
        if (message == null) {
            return null;
        }
        for (Parameter p : operation.getParameters()) {
            String named = p.getIn().name().toLowerCase(Locale.ROOT) + " parameter " + p.getName();
            int at = message.indexOf(named);
            if (at >= 0 && (at + named.length() == message.length()
                    || !Character.isLetterOrDigit(message.charAt(at + named.length())))) {
                return p;
            }
        }
        return null;
    }
}
