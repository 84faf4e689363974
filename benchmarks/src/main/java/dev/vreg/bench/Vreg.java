package dev.vreg.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * vreg as its users run it: {@code java -jar vreg.jar} on its embedded default (its own PostgreSQL and filesystem blob
 * store under a data directory), with the bootstrap registry {@code default/main} in front of one upstream. Start to
 * ready is the time from launching the JVM to the first {@code 200} of {@code /readyz}.
 */
final class Vreg implements AutoCloseable {

    /** The admin token of every vreg the harness starts, for scenarios that configure it through the admin API. */
    static final String ADMIN_TOKEN = "vreg_bench-" + HexFormat.of().formatHex(randomBytes(16));

    private final List<String> command;
    private final Map<String, String> env;
    private final Path log;
    private final int port;
    private ServerProcess process;
    private long readyMillis;

    private Vreg(List<String> command, Map<String, String> env, Path log, int port) {
        this.command = command;
        this.env = env;
        this.log = log;
        this.port = port;
    }

    static Vreg start(Path jar, Path plugins, Path dataDir, int port, int tlsPort, String upstream,
                      List<String> javaOptions, Path log) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions);
        command.add("-jar");
        command.add(jar.toString());
        Map<String, String> env = Map.of(
                "VREG_DATA_DIR", dataDir.toString(),
                "VREG_HTTP_PORT", Integer.toString(port),
                "VREG_TLS_PORT", Integer.toString(tlsPort),
                "VREG_PLUGINS_DIR", plugins.toString(),
                "VREG_GO_UPSTREAMS", upstream,
                "VREG_UPSTREAMS_ALLOWED_NETWORKS", "127.0.0.1/32",
                "VREG_ADMIN_TOKEN", ADMIN_TOKEN);
        Vreg vreg = new Vreg(command, env, log, port);
        vreg.launch(List.of());
        return vreg;
    }

    private void launch(List<String> extraJavaOptions) throws IOException, InterruptedException {
        List<String> launched = new ArrayList<>(command);
        launched.addAll(1, extraJavaOptions);
        long start = System.nanoTime();
        process = ServerProcess.start("vreg", launched, env, log);
        process.awaitStatus("http://127.0.0.1:" + port + "/readyz", 200, 180_000);
        readyMillis = (System.nanoTime() - start) / 1_000_000;
    }

    /**
     * Stops vreg (SIGTERM, as a service manager does) and starts it again on the same data, with
     * {@code extraJavaOptions} before {@code -jar}.
     */
    void restart(List<String> extraJavaOptions) throws IOException, InterruptedException {
        process.close();
        launch(extraJavaOptions);
    }

    long readyMillis() {
        return readyMillis;
    }

    String baseUrl() {
        return rootUrl() + "/go/default/main";
    }

    /** The server's own address, below which the admin API and every registry are. */
    String rootUrl() {
        return "http://127.0.0.1:" + port;
    }

    ServerProcess process() {
        return process;
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    @Override
    public void close() {
        process.close();
    }
}
