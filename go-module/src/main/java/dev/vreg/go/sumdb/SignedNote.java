package dev.vreg.go.sumdb;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * A signed note (golang.org/x/mod/sumdb/note), opened with one known key. A note is UTF-8 text ending in a newline,
 * a blank line, then one or more signature lines {@code "— <name> <base64>\n"} ({@code —} is U+2014); the base64
 * holds the four-byte key hash, big-endian, then the signature of the text (including its final newline). No ASCII
 * control character but the newline may appear anywhere. Signatures by unknown keys are ignored; the note is open
 * only when the known key's signature is present and valid, and a present but invalid one refuses it.
 */
public final class SignedNote {

    private static final byte[] SIG_PREFIX = "— ".getBytes(StandardCharsets.UTF_8);
    private static final int MAX_SIGNATURES = 100;

    private final String text;

    private SignedNote(String text) {
        this.text = text;
    }

    /** The signed text, ending in a newline. */
    public String text() {
        return text;
    }

    /** @throws SumdbException when the note is malformed or {@code key} has not validly signed it */
    public static SignedNote open(byte[] message, VerifierKey key) throws SumdbException {
        String decoded = strictUtf8(message);
        if (decoded.chars().anyMatch(c -> c < 0x20 && c != '\n')) {
            throw new SumdbException("malformed note: it holds a control character");
        }
        int split = lastIndexOf(message, new byte[] {'\n', '\n'});
        if (split < 0) {
            throw new SumdbException("malformed note: no blank line before the signatures");
        }
        byte[] text = Arrays.copyOfRange(message, 0, split + 1);
        byte[] sigs = Arrays.copyOfRange(message, split + 2, message.length);
        if (sigs.length == 0 || sigs[sigs.length - 1] != '\n') {
            throw new SumdbException("malformed note: the signature block does not end in a newline");
        }
        boolean signed = false;
        int count = 0;
        int start = 0;
        while (start < sigs.length) {
            int end = indexOf(sigs, (byte) '\n', start);
            byte[] line = Arrays.copyOfRange(sigs, start, end);
            start = end + 1;
            if (++count > MAX_SIGNATURES) {
                throw new SumdbException("malformed note: more than " + MAX_SIGNATURES + " signatures");
            }
            if (!startsWith(line, SIG_PREFIX)) {
                throw new SumdbException("malformed note: a signature line does not start with \"— \"");
            }
            String rest = new String(line, SIG_PREFIX.length, line.length - SIG_PREFIX.length, StandardCharsets.UTF_8);
            int space = rest.indexOf(' ');
            String name = space < 0 ? rest : rest.substring(0, space);
            String b64 = space < 0 ? "" : rest.substring(space + 1);
            byte[] sig;
            try {
                sig = Base64.getDecoder().decode(b64);
            } catch (IllegalArgumentException e) {
                throw new SumdbException("malformed note: a signature is not base64");
            }
            if (!VerifierKey.isValidName(name) || b64.isEmpty() || sig.length < 5) {
                throw new SumdbException("malformed note: a signature line is malformed");
            }
            int hash = ByteBuffer.wrap(sig, 0, 4).getInt();
            if (!name.equals(key.name()) || hash != key.hash()) {
                continue;
            }
            if (!key.verifies(text, Arrays.copyOfRange(sig, 4, sig.length))) {
                throw new SumdbException("invalid signature for key " + name + "+" + String.format("%08x", hash));
            }
            signed = true;
        }
        if (!signed) {
            throw new SumdbException("note has no verifiable signature by " + key.name());
        }
        return new SignedNote(new String(text, StandardCharsets.UTF_8));
    }

    private static String strictUtf8(byte[] bytes) throws SumdbException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new SumdbException("malformed note: not valid UTF-8");
        }
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        return data.length >= prefix.length && Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static int indexOf(byte[] data, byte b, int from) {
        for (int i = from; i < data.length; i++) {
            if (data[i] == b) {
                return i;
            }
        }
        return -1;
    }

    static int lastIndexOf(byte[] data, byte[] needle) {
        for (int i = data.length - needle.length; i >= 0; i--) {
            if (Arrays.equals(data, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }
}
