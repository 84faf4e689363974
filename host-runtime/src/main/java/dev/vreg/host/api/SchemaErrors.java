package dev.vreg.host.api;

import dev.vreg.host.http.FieldError;

import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what a JSON Schema validator reports into one {@link FieldError} per invalid field, worded for
 * a person. The validator reports a failure at every level of the schema (the property, the {@code $ref}, the
 * keyword); only the most specific ones are kept. A schema may carry {@code x-message}, the message for a string
 * that fails its {@code pattern} or {@code format}, where a regular expression would not help the reader.
 */
public final class SchemaErrors {

    /** Keywords whose failure only says that something below them failed, which is reported on its own. */
    private static final Set<String> SUMMARIES = Set.of("properties", "items", "prefixItems", "allOf", "anyOf",
            "oneOf", "$ref", "$dynamicRef", "if", "then", "else", "dependentSchemas", "patternProperties",
            "contains", "not");
    private static final Set<String> UNKNOWN_FIELD = Set.of("additionalProperties", "unevaluatedProperties");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");
    private static final Pattern EXPECTED_TYPE = Pattern.compile("Expected (\\w+)");

    private SchemaErrors() {
    }

    /**
     * @param prefix   the name of the field the validated value sits in ({@code ""} for a whole body)
     * @param schemaAt the schema object that holds a failed keyword, given the keyword's absolute location; may
     *                 answer {@code null}
     */
    public static List<FieldError> fieldErrors(OutputUnit unit, String prefix,
                                                     Function<String, JsonObject> schemaAt) {
        List<OutputUnit> errors = unit.getErrors() == null || unit.getErrors().isEmpty() ? List.of(unit)
                : unit.getErrors();
        Set<String> specific = new LinkedHashSet<>();
        for (OutputUnit error : errors) {
            String keyword = keyword(error);
            if (!SUMMARIES.contains(keyword) && !UNKNOWN_FIELD.contains(keyword) && !keyword.equals("required")) {
                specific.add(field(error, prefix));
            }
        }
        Set<FieldError> fields = new LinkedHashSet<>();
        for (OutputUnit error : errors) {
            String keyword = keyword(error);
            String field = field(error, prefix);
            String message = error.getError() == null ? "is not valid" : error.getError();
            if (keyword.equals("required")) {
                Matcher property = QUOTED.matcher(message);
                fields.add(new FieldError(property.find() ? join(field, property.group(1)) : field,
                        "is required"));
            } else if (UNKNOWN_FIELD.contains(keyword)) {
                if (specific.stream().noneMatch(f -> f.equals(field) || f.startsWith(field + "."))) {
                    fields.add(new FieldError(field, "is not a known field"));
                }
            } else if (!SUMMARIES.contains(keyword)) {
                fields.add(new FieldError(field, worded(keyword, message,
                        schemaAt.apply(error.getAbsoluteKeywordLocation()))));
            }
        }
        if (fields.isEmpty()) {
            for (OutputUnit error : errors) {
                fields.add(new FieldError(field(error, prefix),
                        error.getError() == null ? "is not valid" : error.getError()));
            }
        }
        return new ArrayList<>(fields);
    }

    /**
     * Finds failed keywords in {@code root} by the JSON pointer after the {@code #} of their location. Locations
     * inside a document that the validator saw only in part (an OpenAPI operation's body schema) are relative to
     * that part, so only those under {@code onlyUnder} are looked up.
     */
    public static Function<String, JsonObject> within(JsonObject root, String onlyUnder) {
        return location -> {
            if (location == null) {
                return null;
            }
            int hash = location.indexOf('#');
            if (hash < 0 || !location.startsWith(onlyUnder, hash + 1)) {
                return null;
            }
            String[] tokens = location.substring(hash + 1).split("/");
            Object node = root;
            for (int i = 1; i < tokens.length - 1 && node instanceof JsonObject object; i++) {
                node = object.getValue(tokens[i].replace("~1", "/").replace("~0", "~"));
            }
            return node instanceof JsonObject schema ? schema : null;
        };
    }

    private static String worded(String keyword, String message, JsonObject schema) {
        if ((keyword.equals("pattern") || keyword.equals("format")) && schema != null
                && schema.getValue("x-message") instanceof String custom) {
            return custom;
        }
        switch (keyword) {
            case "type": {
                Matcher expected = EXPECTED_TYPE.matcher(message);
                return expected.find() ? "must be of type " + expected.group(1) : message;
            }
            case "pattern":
                return schema != null && schema.getValue("pattern") instanceof String pattern
                        ? "must match " + pattern : "does not have the required form";
            case "enum": {
                int values = message.indexOf('[');
                return values >= 0 ? "must be one of " + message.substring(values) : message;
            }
            case "const":
                return "has a value that is not allowed";
            default:
                return message;
        }
    }

    private static String keyword(OutputUnit error) {
        String location = error.getKeywordLocation() == null ? "" : error.getKeywordLocation();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private static String join(String parent, String child) {
        return parent.isEmpty() ? child : parent + "." + child;
    }

    private static String field(OutputUnit error, String prefix) {
        String location = error.getInstanceLocation() == null ? "" : error.getInstanceLocation();
        if (location.startsWith("#")) {
            location = location.substring(1);
        }
        String field = prefix;
        for (String token : location.split("/")) {
            if (!token.isEmpty()) {
                field = join(field, token.replace("~1", "/").replace("~0", "~"));
            }
        }
        return field;
    }
}
