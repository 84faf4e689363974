package dev.vreg.host.db.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about the machine that decide whether and how the bundled binaries can run. */
final class Platform {

    private Platform() {
    }

    /** The bundled binaries are glibc builds for Linux x86_64; anything else fails here rather than at exec time. */
    static void requireSupported() throws IOException {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        if (!os.equals("Linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new IOException("The embedded PostgreSQL is available on Linux x86_64 only, not on " + os + " "
                    + arch + "; configure an external PostgreSQL database instead.");
        }
        if (!Files.exists(Path.of("/lib64/ld-linux-x86-64.so.2"))) {
            throw new IOException("The embedded PostgreSQL needs glibc (/lib64/ld-linux-x86-64.so.2 is missing, as on"
                    + " musl systems such as Alpine); configure an external PostgreSQL database instead.");
        }
    }

    /** Java has no API for the effective uid; the second field of {@code Uid:} in /proc/self/status is it. */
    static int effectiveUid() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
            if (line.startsWith("Uid:")) {
                String[] ids = line.substring(4).trim().split("\\s+");
                return Integer.parseInt(ids[1]);
            }
        }
        throw new IOException("no Uid line in /proc/self/status");
    }
}
