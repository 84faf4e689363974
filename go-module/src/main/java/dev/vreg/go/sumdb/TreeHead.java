package dev.vreg.go.sumdb;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A tree head: the size of the log and the RFC 6962 hash of its records, as the signed text
 * {@code "go.sum database tree\n<N>\n<base64 hash>\n"} (golang.org/x/mod/sumdb/tlog {@code ParseTree}). Lines after
 * the third are allowed and ignored, as the go command does; N is written in canonical decimal.
 */
public record TreeHead(long size, byte[] hash) {

    private static final String PREFIX = "go.sum database tree\n";
    private static final int MAX_TEXT = 1_000_000;

    public TreeHead {
        if (size < 0 || hash.length != Rfc6962.HASH_SIZE) {
            throw new IllegalArgumentException("a tree has a size >= 0 and a 32-byte hash");
        }
        hash = hash.clone();
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    public static TreeHead parse(String text) throws SumdbException {
        if (!text.startsWith(PREFIX) || text.chars().filter(c -> c == '\n').count() < 3
                || text.getBytes(StandardCharsets.UTF_8).length > MAX_TEXT) {
            throw new SumdbException("malformed tree note");
        }
        String[] lines = text.split("\n", 4);
        long n;
        try {
            n = Long.parseLong(lines[1]);
        } catch (NumberFormatException e) {
            throw new SumdbException("malformed tree note");
        }
        if (n < 0 || !lines[1].equals(Long.toString(n))) {
            throw new SumdbException("malformed tree note");
        }
        byte[] hash;
        try {
            hash = Base64.getDecoder().decode(lines[2]);
        } catch (IllegalArgumentException e) {
            throw new SumdbException("malformed tree note");
        }
        if (hash.length != Rfc6962.HASH_SIZE) {
            throw new SumdbException("malformed tree note");
        }
        return new TreeHead(n, hash);
    }

    /** The hash in base64, as the note spells it. */
    public String hashBase64() {
        return Base64.getEncoder().encodeToString(hash);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TreeHead t && t.size == size && java.util.Arrays.equals(t.hash, hash);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(size) * 31 + java.util.Arrays.hashCode(hash);
    }

    @Override
    public String toString() {
        return "tree " + size + " " + hashBase64();
    }
}
