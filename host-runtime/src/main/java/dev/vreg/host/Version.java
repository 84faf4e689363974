package dev.vreg.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The platform version plugins are checked against (their {@code Plugin-Requires}); set by the build. */
public final class Version {

    public static final String PLATFORM = read();

    private Version() {
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("/vreg-version.properties")) {
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("platform");
        } catch (IOException | NullPointerException e) {
            throw new UncheckedIOException(new IOException("vreg-version.properties is missing from the build", e));
        }
    }
}
