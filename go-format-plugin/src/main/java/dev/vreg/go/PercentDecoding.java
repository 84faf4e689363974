package dev.vreg.go;

import dev.vreg.go.module.GoQuote;
import dev.vreg.spi.VregException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes the percent-encoding of a request path. Unlike {@link java.net.URLDecoder}, which decodes form bodies,
 * {@code +} stays {@code +}: versions such as {@code v2.0.0+incompatible} arrive with a literal plus.
 */
final class PercentDecoding {

    private PercentDecoding() {
    }

    /**
     * The decoded path.
     *
     * @throws VregException NOT_FOUND for a malformed escape, bytes that are not UTF-8, or an encoded {@code /}: the
     *                       go command never sends one, and decoding it would let one file have many spellings
     */
    static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); ) {
            char c = raw.charAt(i);
            if (c != '%') {
                int cp = raw.codePointAt(i);
                byte[] utf8 = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                out.write(utf8, 0, utf8.length);
                i += Character.charCount(cp);
                continue;
            }
            int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
            int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
            if (hi < 0 || lo < 0 || raw.charAt(i + 1) > 0x7f || raw.charAt(i + 2) > 0x7f) {
                throw VregException.notFound("invalid URL escape " + quoteEscape(raw, i));
            }
            int b = hi << 4 | lo;
            if (b == '/') {
                throw VregException.notFound("invalid path: encoded slash");
            }
            out.write(b);
            i += 3;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw VregException.notFound("invalid path: not UTF-8");
        }
    }

    private static String quoteEscape(String raw, int at) {
        return GoQuote.quote(raw.substring(at, Math.min(raw.length(), at + 3)));
    }
}
