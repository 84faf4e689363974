package dev.vreg.testkit.go;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict percent-decoding of the request paths the static proxy serves. */
final class PercentDecoding {

    private PercentDecoding() {
    }

    /**
     * Decodes {@code %XX} sequences of a raw request path into UTF-8 text. A {@code +} stays a {@code +}
     * (unlike {@link java.net.URLDecoder}), because {@code +incompatible} versions appear in paths.
     *
     * @throws IllegalArgumentException for a truncated or non-hex escape, or bytes that are not UTF-8
     */
    static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        int i = 0;
        while (i < raw.length()) {
            int percent = raw.indexOf('%', i);
            int end = percent < 0 ? raw.length() : percent;
            bytes.writeBytes(raw.substring(i, end).getBytes(StandardCharsets.UTF_8));
            if (percent < 0) {
                break;
            }
            i = percent;
            if (i + 2 >= raw.length()) {
                throw new IllegalArgumentException("truncated percent-escape in " + raw);
            }
            int hi = Character.digit(raw.charAt(i + 1), 16);
            int lo = Character.digit(raw.charAt(i + 2), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("bad percent-escape in " + raw);
            }
            bytes.write(hi << 4 | lo);
            i += 3;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("percent-escapes in " + raw + " are not UTF-8", e);
        }
    }
}
