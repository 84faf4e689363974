package dev.vreg.host.support;

import dev.vreg.host.VregServer;
import dev.vreg.host.config.VregConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/**
 * Starts vreg the way an operator does on its embedded default (embedded PostgreSQL, filesystem blobs, plugins from
 * the directory the build fills), on 127.0.0.1 and a free port, with its data under {@code target/}.
 */
public final class TestVreg {

    private TestVreg() {
    }

    /** A fresh data directory below {@code target/vreg-tests}, reachable by the unprivileged PostgreSQL user. */
    public static Path newDataDir() {
        try {
            Path root = Files.createDirectories(Path.of("target", "vreg-tests").toAbsolutePath());
            return Files.createDirectories(root.resolve(UUID.randomUUID().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The PostgreSQL binaries, unpacked once for all the suite's instances (and forks) instead of once each. */
    public static Path sharedPostgresBinaries() {
        return Path.of("target", "pg-dist").toAbsolutePath();
    }

    public static Path pluginsDir() {
        String dir = System.getProperty("vreg.plugins.dir");
        if (dir == null) {
            throw new IllegalStateException("system property vreg.plugins.dir is not set; run the tests with Maven");
        }
        return Path.of(dir);
    }

    /**
     * Loopback, where every fixture upstream of the tests listens. Upstreams may not use it by default; tests of that
     * rule clear {@code upstreams.allowedNetworks} again or set their own.
     */
    public static final List<String> LOOPBACK = List.of("127.0.0.0/8", "::1/128");

    /**
     * A configuration for {@code dataDir} whose default Go registry fronts {@code goUpstreams}, with upstreams
     * allowed on {@link #LOOPBACK}.
     */
    public static VregConfig config(Path dataDir, List<String> goUpstreams) {
        VregConfig config = new VregConfig();
        config.dataDir = dataDir;
        config.http.host = "127.0.0.1";
        config.http.port = freePort();
        config.plugins.dir = pluginsDir();
        config.database.embeddedBinaries = sharedPostgresBinaries();
        config.bootstrap.goUpstreams = goUpstreams;
        config.upstreams.allowedNetworks = LOOPBACK;
        // The embedded default's HTTPS listener would take the one fixed port 8443; tests of it choose a port.
        config.http.tls.generate = false;
        return config;
    }

    public static VregServer start(VregConfig config) {
        try {
            return VregServer.start(config);
        } catch (Exception e) {
            throw new IllegalStateException("vreg did not start", e);
        }
    }

    public static VregServer start(VregConfig config, Clock clock) {
        try {
            return VregServer.start(config, clock);
        } catch (Exception e) {
            throw new IllegalStateException("vreg did not start", e);
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
