package dev.vreg.go.sumdb;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * A checksum database's verifier key, {@code <name>+<hash>+<key>} (golang.org/x/mod/sumdb/note): the server name,
 * eight hex digits of key hash, and the base64 of an algorithm byte followed by the public key. The only algorithm
 * is Ed25519 ({@code 1}, 32 key bytes). The key hash is the first four bytes, big-endian, of
 * {@code SHA-256(name + "\n" + algorithm byte + key)}; a key whose hash does not match is refused, so a typo in a
 * configured key is caught at once.
 */
public final class VerifierKey {

    /** The go command's built-in key for {@code sum.golang.org}. */
    public static final String SUM_GOLANG_ORG = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8";

    private static final byte ALG_ED25519 = 1;
    /** The DER prefix of an X.509 SubjectPublicKeyInfo holding a raw Ed25519 key (RFC 8410). */
    private static final byte[] ED25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21,
        0x00};

    private final String encoded;
    private final String name;
    private final int hash;
    private final PublicKey publicKey;

    private VerifierKey(String encoded, String name, int hash, PublicKey publicKey) {
        this.encoded = encoded;
        this.name = name;
        this.hash = hash;
        this.publicKey = publicKey;
    }

    /** @throws SumdbException naming what is wrong with the key */
    public static VerifierKey parse(String vkey) throws SumdbException {
        String[] parts = vkey.split("\\+", 3);
        if (parts.length != 3 || !isValidName(parts[0]) || parts[1].length() != 8 || !parts[1].matches("[0-9a-fA-F]{8}")) {
            throw new SumdbException("malformed verifier key: want <name>+<8 hex digits>+<base64 key>");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new SumdbException("malformed verifier key: the key is not base64");
        }
        if (key.length == 0) {
            throw new SumdbException("malformed verifier key: the key is empty");
        }
        int hash = (int) Long.parseLong(parts[1], 16);
        if (hash != keyHash(parts[0], key)) {
            throw new SumdbException("invalid verifier key: its hash does not match its name and key");
        }
        if (key[0] != ALG_ED25519) {
            throw new SumdbException("unknown verifier algorithm " + (key[0] & 0xff));
        }
        if (key.length != 33) {
            throw new SumdbException("malformed verifier key: an Ed25519 key has 32 bytes");
        }
        byte[] spki = new byte[ED25519_SPKI_PREFIX.length + 32];
        System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
        System.arraycopy(key, 1, spki, ED25519_SPKI_PREFIX.length, 32);
        try {
            PublicKey publicKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
            return new VerifierKey(vkey, parts[0], hash, publicKey);
        } catch (GeneralSecurityException e) {
            throw new SumdbException("invalid verifier key: " + e.getMessage());
        }
    }

    /** A name is non-empty UTF-8 with no white space and no {@code +}. */
    static boolean isValidName(String name) {
        return !name.isEmpty() && name.codePoints().noneMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c) || c == 0x85
                || c == '+');
    }

    /** The key hash of an encoded key (algorithm byte and key) under {@code name}. */
    public static int keyHash(String name, byte[] key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(name.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n');
            sha.update(key);
            return ByteBuffer.wrap(sha.digest()).getInt();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The server name, the part before the first {@code +}. */
    public String name() {
        return name;
    }

    int hash() {
        return hash;
    }

    /** Whether {@code signature} is this key's Ed25519 signature of {@code message}. */
    boolean verifies(byte[] message, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(publicKey);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return encoded;
    }
}
