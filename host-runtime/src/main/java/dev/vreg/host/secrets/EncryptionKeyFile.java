package dev.vreg.host.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The encryption key of the embedded default when none is configured: 32 random bytes generated on the first start
 * into a file only vreg's user can read, beside the embedded database. It lets a single instance keep upstream
 * credentials out of the box; a deployment on an external database configures {@code security.encryptionKey} (all
 * nodes need the same key), and moving off this file is a key rotation like any other.
 */
public final class EncryptionKeyFile {

    private static final SecureRandom RANDOM = new SecureRandom();

    private EncryptionKeyFile() {
    }

    /**
     * The key in {@code file} (base64), written first if the file does not exist yet. Call it with the data directory
     * locked (as the embedded database start does), so no other start writes the file at the same time; the key is
     * written beside it and renamed into place, so a crash never leaves a partial key.
     */
    public static String loadOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] key = new byte[32];
            RANDOM.nextBytes(key);
            Path temp = Files.createTempFile(file.getParent(), ".encryption", ".key",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.writeString(temp, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        }
        return Files.readString(file, StandardCharsets.US_ASCII).strip();
    }
}
