package dev.vreg.go.sumdb;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The body of {@code /lookup/<module>@<version>} (golang.org/x/mod/sumdb/tlog {@code FormatRecord}, {@code
 * ParseRecord}): the record id in decimal and a newline, the record text (go.sum lines, each ending in a newline,
 * no blank line, no control character but the newline, valid UTF-8), a blank line, then the signed tree note.
 */
public record LookupAnswer(long id, byte[] record, byte[] signedTree) {

    public static LookupAnswer parse(byte[] body) throws SumdbException {
        int nl = indexOf(body, (byte) '\n', 0);
        if (nl < 0) {
            throw new SumdbException("malformed record data");
        }
        long id;
        try {
            id = Long.parseLong(new String(body, 0, nl, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw new SumdbException("malformed record data");
        }
        int end = -1;
        for (int i = nl + 1; i + 1 < body.length; i++) {
            if (body[i] == '\n' && body[i + 1] == '\n') {
                end = i;
                break;
            }
        }
        if (end < 0) {
            throw new SumdbException("malformed record data");
        }
        byte[] text = Arrays.copyOfRange(body, nl + 1, end + 1);
        if (!isValidRecordText(text)) {
            throw new SumdbException("malformed record data");
        }
        return new LookupAnswer(id, text, Arrays.copyOfRange(body, end + 2, body.length));
    }

    /**
     * The hash the record gives a module version's file: {@code "<module> <version> <hash>"} for the zip,
     * {@code "<module> <version>/go.mod <hash>"} for the go.mod.
     */
    public Optional<String> hashOf(String module, String version, boolean goMod) {
        String key = module + " " + version + (goMod ? "/go.mod" : "") + " ";
        for (String line : new String(record, StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith(key) && line.indexOf(' ', key.length()) < 0) {
                return Optional.of(line.substring(key.length()));
            }
        }
        return Optional.empty();
    }

    /** Whether any line of the record is about {@code module} at {@code version}. */
    public boolean isAbout(String module, String version) {
        return hashOf(module, version, false).isPresent() || hashOf(module, version, true).isPresent();
    }

    private static boolean isValidRecordText(byte[] text) {
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(text)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
        int last = 0;
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (c < 0x20 && c != '\n' || last == '\n' && c == '\n') {
                return false;
            }
            last = c;
        }
        return last == '\n';
    }

    private static int indexOf(byte[] data, byte b, int from) {
        for (int i = from; i < data.length; i++) {
            if (data[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
