package dev.vreg.host.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.support.TestVreg;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OCI image {@code mvn -Pimage package} writes (a {@code docker load} archive): its configuration and layers
 * as a container runtime reads them, then its file system started as the runtime would start it.
 */
class ImageIT {

    private static final Path IMAGE = Path.of(System.getProperty("vreg.image.tar", ""));
    private static final Path DIST = Path.of(System.getProperty("vreg.jar", "vreg.jar")).getParent();

    private static JsonObject config;
    /** Layer file name → its entries by path without the leading slash, in the manifest's order. */
    private static final Map<String, Map<String, TarArchiveEntry>> LAYERS = new LinkedHashMap<>();

    @TempDir
    Path temp;

    @BeforeAll
    static void readImage() throws IOException {
        if (IMAGE.toString().isEmpty() || !Files.isRegularFile(IMAGE)) {
            throw new IllegalStateException("no image to check (vreg.image.tar is '" + IMAGE + "'): the build makes"
                    + " one with -Pimage, or by itself once ~/.cache/vreg/base-image.tar exists, which .ci/run"
                    + " prepares with .ci/base-image");
        }
        Map<String, byte[]> files = new HashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(IMAGE))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                if (e.getName().endsWith(".json")) {
                    files.put(e.getName(), tar.readAllBytes());
                }
            }
        }
        JsonObject manifest = new JsonArray(new String(files.get("manifest.json"), StandardCharsets.UTF_8))
                .getJsonObject(0);
        config = new JsonObject(new String(files.get(manifest.getString("Config")), StandardCharsets.UTF_8));
        for (Object layer : manifest.getJsonArray("Layers")) {
            LAYERS.put((String) layer, new LinkedHashMap<>());
        }
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(IMAGE))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                Map<String, TarArchiveEntry> entries = LAYERS.get(e.getName());
                if (entries != null) {
                    try (TarArchiveInputStream layer = new TarArchiveInputStream(uncompressed(tar))) {
                        for (TarArchiveEntry f = layer.getNextEntry(); f != null; f = layer.getNextEntry()) {
                            entries.put(normalize(f.getName()), f);
                        }
                    }
                }
            }
        }
    }

    @Test
    void theConfigurationRunsTheLauncherAsANonRootUserWithContainerDefaults() throws IOException {
        JsonObject container = config.getJsonObject("config");
        assertThat(config.getString("os")).isEqualTo("linux");
        assertThat(config.getString("architecture")).isEqualTo("amd64");
        assertThat(container.getString("User")).isEqualTo("10001:10001");
        assertThat(container.getJsonArray("Entrypoint")).containsExactly("/opt/vreg/vreg");
        assertThat(container.getJsonArray("Cmd")).containsExactly("run");
        assertThat(container.getString("WorkingDir")).isEqualTo("/opt/vreg");
        assertThat(container.getJsonObject("ExposedPorts").fieldNames()).containsExactlyInAnyOrder("8080/tcp",
                "8443/tcp");
        assertThat(container.getJsonObject("Volumes").fieldNames()).containsExactly("/var/lib/vreg");
        assertThat(container.getJsonArray("Env")).contains("VREG_HTTP_HOST=0.0.0.0", "VREG_DATA_DIR=/var/lib/vreg",
                "VREG_PLUGINS_DIR=/opt/vreg/plugins", "VREG_LOG_FORMAT=json")
                .anySatisfy(env -> assertThat((String) env).startsWith("JAVA_HOME="))
                .anySatisfy(env -> assertThat((String) env).startsWith("PATH="));
        String version;
        try (JarFile jar = new JarFile(DIST.resolve("vreg.jar").toFile())) {
            version = jar.getManifest().getMainAttributes().getValue("Implementation-Version");
        }
        assertThat(version).isNotBlank();
        assertThat(container.getJsonObject("Labels").getMap()).containsEntry("org.opencontainers.image.version",
                        version).containsEntry("org.opencontainers.image.title", "vreg")
                .containsKey("org.opencontainers.image.licenses");
    }

    @Test
    void theLayersHoldAGlibcBaseTheDistributionAndAWritableDataDirectory() throws IOException {
        assertThat(find("usr/lib/x86_64-linux-gnu/libc.so.6")).as("glibc in the base").isNotEmpty();
        String javaHome = config.getJsonObject("config").getJsonArray("Env").stream().map(String.class::cast)
                .filter(env -> env.startsWith("JAVA_HOME=")).findFirst().orElseThrow().substring(10);
        assertThat(find(normalize(javaHome + "/bin/java"))).as("a Java runtime at JAVA_HOME").isNotEmpty();
        // The launcher's class-data sharing archive stacks on the runtime's base archive; without one it starts
        // without sharing.
        assertThat(find(normalize(javaHome + "/lib/server/classes.jsa"))).as("the runtime's base CDS archive")
                .isNotEmpty();

        List<TarArchiveEntry> launcher = find("opt/vreg/vreg");
        assertThat(launcher).singleElement().satisfies(e -> assertThat(e.getMode() & 0777).isEqualTo(0755));
        List<String> libs;
        try (Stream<Path> files = Files.list(DIST.resolve("lib"))) {
            libs = files.map(p -> "opt/vreg/lib/" + p.getFileName()).toList();
        }
        List<String> plugins;
        try (Stream<Path> files = Files.list(DIST.resolve("plugins"))) {
            plugins = files.map(p -> "opt/vreg/plugins/" + p.getFileName()).toList();
        }
        assertThat(libs).hasSizeGreaterThan(20);
        assertThat(plugins).anyMatch(p -> p.contains("go-format")).anyMatch(p -> p.contains("goproxy-upstream"));
        String libraries = layerOf(libs.get(0));
        assertThat(LAYERS.get(libraries)).containsKeys(libs.toArray(String[]::new));
        String pluginLayer = layerOf(plugins.get(0));
        assertThat(LAYERS.get(pluginLayer)).containsKeys(plugins.toArray(String[]::new));
        // The libraries change least and come first; the application's jar has a layer of its own.
        assertThat(List.of(libraries, pluginLayer, layerOf("opt/vreg/vreg.jar"))).doesNotHaveDuplicates();
        assertThat(new ArrayList<>(LAYERS.keySet()).indexOf(libraries))
                .isLessThan(new ArrayList<>(LAYERS.keySet()).indexOf(layerOf("opt/vreg/vreg.jar")));
        assertThat(LAYERS.values().stream().flatMap(l -> l.keySet().stream()))
                .as("no class-path layout of Jib's own").noneMatch(p -> p.startsWith("app/"));

        assertThat(find("var/lib/vreg")).last().satisfies(e -> {
            assertThat(e.isDirectory()).isTrue();
            assertThat(e.getMode() & 07777).as("writable by the image's user").isEqualTo(0777);
        });
        assertThat(find("opt/vreg/vreg.jar")).singleElement()
                .satisfies(e -> assertThat(e.getLongUserId()).as("the distribution stays root's").isZero());
    }

    /**
     * Unpacks the layers in order and starts the entry point in them as the image's user, in mount and PID
     * namespaces of its own, with the image's environment and working directory: the embedded PostgreSQL starts
     * from the image's glibc, and the health endpoints answer.
     */
    @Test
    void theImageFileSystemStartsVregAsItsUserAndAnswersHealthChecks() throws Exception {
        Path root = Files.createDirectories(temp.resolve("rootfs"));
        Path layers = Files.createDirectories(temp.resolve("layers"));
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(IMAGE))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                if (LAYERS.containsKey(e.getName())) {
                    Path layer = layers.resolve(LAYERS.size() + "-" + Path.of(e.getName()).getFileName());
                    Files.copy(tar, layer);
                    run(List.of("tar", "--extract", "--same-owner", "--same-permissions", "--file",
                            layer.toString(), "--directory", root.toString()));
                    Files.delete(layer);
                }
            }
        }
        JsonObject container = config.getJsonObject("config");
        String user = container.getString("User");
        int port = TestVreg.freePort();
        // What `docker run -e` would add: loopback only, a free port, no upstream beyond this machine.
        ProcessBuilder builder = new ProcessBuilder("unshare", "--mount", "--pid", "--fork", "--", "/bin/sh", "-ec",
                "r=$1 w=$2 u=$3 g=$4; shift 4; mount -t proc proc \"$r/proc\"; mount --rbind /dev \"$r/dev\";"
                        + " mount -t tmpfs tmpfs \"$r/tmp\"; exec unshare --root=\"$r\" --wd=\"$w\""
                        + " --setuid=\"$u\" --setgid=\"$g\" -- \"$@\"", "sh", root.toString(),
                container.getString("WorkingDir"), user.split(":")[0], user.split(":")[1]);
        List<String> command = new ArrayList<>(builder.command());
        container.getJsonArray("Entrypoint").forEach(arg -> command.add((String) arg));
        container.getJsonArray("Cmd").forEach(arg -> command.add((String) arg));
        builder.command(command);
        Map<String, String> env = builder.environment();
        env.clear();
        container.getJsonArray("Env").stream().map(String.class::cast)
                .forEach(e -> env.put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1)));
        env.put("VREG_HTTP_HOST", "127.0.0.1");
        env.put("VREG_HTTP_PORT", Integer.toString(port));
        env.put("VREG_GO_UPSTREAMS", "http://127.0.0.1:9");
        env.put("JAVA_OPTS", "-Xmx256m");
        Path log = temp.resolve("image.log");
        Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            String base = "http://127.0.0.1:" + port;
            DistributionIT.awaitReady(base + "/readyz", process, log, Duration.ofSeconds(180));
            HttpResponse<String> ready = DistributionIT.get(base + "/readyz");
            assertThat(ready.body()).contains("\"go-format\"");
            assertThat(DistributionIT.get(base + "/healthz").statusCode()).isEqualTo(200);
            assertThat(root.resolve("var/lib/vreg/postgres")).isDirectory();
            assertThat(Files.getAttribute(root.resolve("var/lib/vreg/postgres"), "unix:uid")).isEqualTo(10001);
        } finally {
            // SIGTERM to the JVM, PID 1 of its namespace, as a runtime's stop sends it.
            process.descendants().filter(p -> p.info().command().orElse("").endsWith("/java"))
                    .forEach(ProcessHandle::destroy);
            assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("vreg stops on SIGTERM").isTrue();
        }
        assertThat(Files.readString(log)).contains("vreg stopped");
    }

    private static List<TarArchiveEntry> find(String path) {
        return LAYERS.values().stream().map(l -> l.get(path)).filter(e -> e != null).toList();
    }

    private static String layerOf(String path) {
        return LAYERS.entrySet().stream().filter(l -> l.getValue().containsKey(path)).map(Map.Entry::getKey)
                .reduce((first, later) -> later).orElseThrow(() -> new AssertionError(path + " is in no layer"));
    }

    private static String normalize(String name) {
        String path = name.startsWith("./") ? name.substring(2) : name;
        path = path.startsWith("/") ? path.substring(1) : path;
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** A layer as stored: gzip-compressed or a plain tar. */
    private static InputStream uncompressed(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(new NonClosing(in));
        buffered.mark(2);
        int first = buffered.read();
        int second = buffered.read();
        buffered.reset();
        return first == 0x1f && second == 0x8b ? new GzipCompressorInputStream(buffered) : buffered;
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
    }

    /** Leaves the image archive open when a layer's stream is closed. */
    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
