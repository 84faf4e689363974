package dev.vreg.host.secrets;

import dev.vreg.host.config.ConfigException;
import dev.vreg.spi.Credentials;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts upstream credentials at rest with AES-256-GCM. A stored value is {@code key id (4 bytes) | nonce (12) |
 * ciphertext+tag}; the key id (the start of the key's SHA-256) says which key to decrypt with, so after a rotation
 * values written with a previous key still decrypt while new ones use the current key.
 */
public final class CredentialCipher {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] currentId;
    private final SecretKeySpec current;
    private final Map<String, SecretKeySpec> byId = new LinkedHashMap<>();
    private final SecretKeySpec digestKey;

    private CredentialCipher(byte[] key, List<byte[]> previous) {
        this.current = new SecretKeySpec(key, "AES");
        this.currentId = keyId(key);
        byId.put(HexFormat.of().formatHex(currentId), current);
        previous.forEach(k -> byId.putIfAbsent(HexFormat.of().formatHex(keyId(k)), new SecretKeySpec(k, "AES")));
        this.digestKey = new SecretKeySpec(hmac(key, "vreg upstream credentials digest"), "HmacSHA256");
    }

    /**
     * The cipher for the configured keys (base64 of 32 bytes each), or empty when no key is configured.
     *
     * @throws ConfigException when a key is not 32 bytes of base64; the message never quotes it
     */
    public static Optional<CredentialCipher> fromConfig(String key, List<String> previousKeys) {
        if (key == null || key.isBlank()) {
            return Optional.empty();
        }
        List<byte[]> previous = previousKeys == null ? List.of()
                : previousKeys.stream().map(k -> decodeKey(k, "security.previousEncryptionKeys")).toList();
        return Optional.of(new CredentialCipher(decodeKey(key, "security.encryptionKey (VREG_ENCRYPTION_KEY)"),
                previous));
    }

    private static byte[] decodeKey(String text, String setting) {
        try {
            byte[] key = Base64.getDecoder().decode(text.strip());
            if (key.length == 32) {
                return key;
            }
        } catch (IllegalArgumentException e) {
            // Reported below without the value.
        }
        throw new ConfigException(setting + " must be 32 random bytes in base64 (e.g. `openssl rand -base64 32`)");
    }

    public byte[] encrypt(Credentials credentials) {
        return seal(plaintext(credentials));
    }

    /** @throws IllegalStateException when the value was written with a key that is no longer configured */
    public Credentials decrypt(byte[] stored) {
        JsonObject json = new JsonObject(new String(open(stored), StandardCharsets.UTF_8));
        return new Credentials(json.getString("username"), json.getString("password"), json.getString("token"));
    }

    /** Whether {@code stored} was written with the current key (and so needs no re-encryption after a rotation). */
    public boolean isCurrent(byte[] stored) {
        return stored.length >= currentId.length
                && Arrays.equals(Arrays.copyOf(stored, currentId.length), currentId);
    }

    /** Encrypts any secret with the current key: the key's id, a random nonce, then the AES-GCM output. */
    public byte[] seal(byte[] plain) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, current, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(currentId);
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(currentId.length + NONCE_BYTES + sealed.length)
                    .put(currentId).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * Decrypts what {@link #seal} wrote, with whichever configured key wrote it.
     *
     * @throws IllegalStateException when that key is no longer configured or the value was altered
     */
    public byte[] open(byte[] stored) {
        byte[] id = Arrays.copyOfRange(stored, 0, 4);
        SecretKeySpec key = byId.get(HexFormat.of().formatHex(id));
        if (key == null) {
            throw new IllegalStateException("the value was encrypted with a key that is not configured");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 4, NONCE_BYTES));
            cipher.updateAAD(id);
            return cipher.doFinal(stored, 4 + NONCE_BYTES, stored.length - 4 - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the stored value could not be decrypted");
        }
    }

    /**
     * A keyed digest of the plaintext, so two upstreams with the same credentials can be found without decrypting,
     * and without the digest telling anyone without the key what the credentials are.
     */
    public String digest(Credentials credentials) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(digestKey);
            return HexFormat.of().formatHex(mac.doFinal(plaintext(credentials)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] plaintext(Credentials c) {
        return new JsonObject().put("username", c.username()).put("password", c.password()).put("token", c.token())
                .encode().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] keyId(byte[] key) {
        try {
            return Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(key), 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
