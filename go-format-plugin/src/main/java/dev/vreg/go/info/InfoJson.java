package dev.vreg.go.info;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.vreg.go.module.GoQuote;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads a {@code .info} or {@code @latest} body the way the go command's {@code json.Unmarshal} into its
 * {@code RevInfo} does: a JSON object whose {@code Version} and {@code Time} keys are matched case-insensitively,
 * the last occurrence winning, {@code null} meaning absent, every other key ignored.
 */
public final class InfoJson {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    /**
     * The fields of an info body that the go command looks at.
     *
     * @param version the {@code Version}, or null when absent
     * @param time    the {@code Time} as written, or null when absent; when present it is valid RFC 3339
     */
    public record Info(String version, String time) {
    }

    /** The body is not one the go command could read. */
    public static final class InvalidInfoException extends Exception {
        public InvalidInfoException(String message) {
            super(message, null, false, false);
        }
    }

    private InfoJson() {
    }

    /** Parses an info body; throws {@link InvalidInfoException} when the go command would reject it. */
    public static Info parse(byte[] body) throws InvalidInfoException {
        String text = decodeUtf8(body);
        String version = null;
        String time = null;
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidInfoException("info is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equalsIgnoreCase("Version")) {
                    version = stringOrNull(p, value, "Version", version);
                } else if (name.equalsIgnoreCase("Time")) {
                    time = stringOrNull(p, value, "Time", time);
                    if (value == JsonToken.VALUE_STRING && !Rfc3339.isValid(time)) {
                        throw new InvalidInfoException("info Time is not an RFC 3339 timestamp: " + quoted(time));
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new InvalidInfoException("invalid JSON: data after the top-level value");
            }
        } catch (IOException e) {
            String detail = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new InvalidInfoException("invalid JSON: " + firstLine(detail));
        }
        return new Info(version, time);
    }

    private static String stringOrNull(JsonParser p, JsonToken value, String field, String previous)
            throws IOException, InvalidInfoException {
        if (value == JsonToken.VALUE_NULL) {
            return previous;
        }
        if (value != JsonToken.VALUE_STRING) {
            throw new InvalidInfoException("info " + field + " is not a string");
        }
        return p.getText();
    }

    private static String decodeUtf8(byte[] body) throws InvalidInfoException {
        // Go's JSON reader has no byte order mark handling and no UTF-16 detection, so neither is accepted here.
        if (body.length >= 3 && (body[0] & 0xff) == 0xEF && (body[1] & 0xff) == 0xBB && (body[2] & 0xff) == 0xBF) {
            throw new InvalidInfoException("invalid JSON: byte order mark");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInfoException("invalid JSON: not UTF-8");
        }
    }

    private static String quoted(String s) {
        return GoQuote.quote(s.length() > 64 ? s.substring(0, 64) + "..." : s);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "malformed";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
