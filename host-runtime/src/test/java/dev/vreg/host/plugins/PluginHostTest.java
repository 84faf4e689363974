package dev.vreg.host.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.vreg.host.Version;
import dev.vreg.host.support.TestVreg;
import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.AssetKind;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The plugin archives the reactor builds load in the host, and a plugin built for another host is refused. */
class PluginHostTest {

    @TempDir
    Path temp;

    @Test
    void theBuiltArchivesLoadAndProvideTheGoFormatAndTheGoproxyKind() {
        try (PluginHost host = PluginHost.load(TestVreg.pluginsDir(), Version.PLATFORM)) {
            assertThat(host.formats()).containsKey("go");
            assertThat(host.upstreamKinds()).containsKey("goproxy");
            ArtifactRef ref = host.format("go").orElseThrow()
                    .classify("github.com/%21burnt%21sushi/toml/@v/v1.3.2.zip");
            assertThat(ref.kind()).isEqualTo(AssetKind.CONTENT);
            assertThat(ref.name()).isEqualTo("github.com/BurntSushi/toml");
            // Loaded by the plugin's own class loader, yet typed by the host's SPI.
            assertThat(host.format("go").orElseThrow().getClass().getClassLoader())
                    .isNotSameAs(getClass().getClassLoader());
        }
    }

    @Test
    void archivesCarryTheirExtensionIndexAndNoSharedClasses() throws IOException {
        List<Path> archives = new ArrayList<>();
        try (var files = Files.list(TestVreg.pluginsDir())) {
            files.filter(p -> p.toString().endsWith(".jar")).forEach(archives::add);
        }
        assertThat(archives).extracting(p -> p.getFileName().toString())
                .contains("go-format.jar", "goproxy-upstream.jar");
        for (Path archive : archives) {
            try (JarFile jar = new JarFile(archive.toFile())) {
                assertThat(jar.getManifest().getMainAttributes().getValue("Plugin-Id")).isNotBlank();
                assertThat(jar.getEntry("META-INF/extensions.idx")).as(archive + " extension index").isNotNull();
                assertThat(jar.stream().map(JarEntry::getName))
                        .as(archive + " must not bundle what the host shares")
                        .noneMatch(name -> name.startsWith("dev/vreg/spi/") || name.startsWith("io/vertx/")
                                || name.startsWith("io/netty/") || name.startsWith("org/pf4j/")
                                || name.startsWith("com/fasterxml/jackson/"));
            }
        }
    }

    @Test
    void aPluginRequiringAnotherHostVersionIsRefusedWithAClearLineAndTheRestStillLoad() throws IOException {
        Path dir = Files.createDirectories(temp.resolve("plugins"));
        try (var files = Files.list(TestVreg.pluginsDir())) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".jar"))::iterator) {
                Files.copy(p, dir.resolve(p.getFileName()));
            }
        }
        writePlugin(dir.resolve("future-plugin.jar"), "future-plugin", ">=9.0.0");

        Logger logger = (Logger) LoggerFactory.getLogger(PluginHost.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try (PluginHost host = PluginHost.load(dir, Version.PLATFORM)) {
            assertThat(host.formats()).containsKey("go");
            assertThat(host.upstreamKinds()).containsKey("goproxy");
            assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
                    .anySatisfy(line -> assertThat(line)
                            .contains("future-plugin")
                            .contains("was not loaded")
                            .contains("requires vreg >=9.0.0, this is vreg " + Version.PLATFORM));
        } finally {
            logger.detachAppender(log);
        }
    }

    private static void writePlugin(Path jar, String id, String requires) throws IOException {
        Manifest manifest = new Manifest();
        Attributes attributes = manifest.getMainAttributes();
        attributes.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        attributes.putValue("Plugin-Id", id);
        attributes.putValue("Plugin-Version", "1.0.0");
        attributes.putValue("Plugin-Requires", requires);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            // A descriptor is all PF4J reads before it checks the version constraint.
        }
    }
}
