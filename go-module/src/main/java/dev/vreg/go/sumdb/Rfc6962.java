package dev.vreg.go.sumdb;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The hashes of an RFC 6962 Merkle tree as the checksum database uses them: a record's leaf hash is
 * {@code SHA-256(0x00 ‖ record)} and an interior node's is {@code SHA-256(0x01 ‖ left ‖ right)}.
 */
public final class Rfc6962 {

    public static final int HASH_SIZE = 32;

    private Rfc6962() {
    }

    public static byte[] leafHash(byte[] record) {
        MessageDigest sha = sha256();
        sha.update((byte) 0);
        sha.update(record);
        return sha.digest();
    }

    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest sha = sha256();
        sha.update((byte) 1);
        sha.update(left);
        sha.update(right);
        return sha.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
