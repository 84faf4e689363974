package dev.vreg.host.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Token values: 32 random bytes behind a {@code vreg_} prefix (so secret scanners can recognise them), kept only as
 * their SHA-256. A fast hash is enough because the secret has 256 bits of entropy; there is nothing to brute-force.
 */
public final class Tokens {

    public static final String PREFIX = "vreg_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {
    }

    public static String generate() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** The stored form of {@code token}: lower-case hex SHA-256. */
    public static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Compares two hashes in constant time, so response timing says nothing about how much of one matched. */
    public static boolean sameHash(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    /** An operator-chosen token must be as hard to guess as a generated one. */
    public static boolean acceptable(String token) {
        return token != null && token.length() >= 32 && token.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }
}
