package dev.vreg.go;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The packaged plugin archive as the host's PF4J loader sees it: one jar holding the plugin and the go-module library
 * it is built on, and nothing the host supplies parent-first.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PluginArchiveIT {

    private List<String> entries;
    private JarFile jar;

    @BeforeAll
    void openArchive() throws IOException {
        String location = System.getProperty("vreg.pluginArchive");
        assertThat(location).as("system property vreg.pluginArchive, set by the failsafe configuration").isNotBlank();
        Path archive = Path.of(location);
        assertThat(archive).as("the packaged plugin archive").exists();
        jar = new JarFile(archive.toFile());
        entries = jar.stream().map(ZipEntry::getName).toList();
    }

    @AfterAll
    void closeArchive() throws IOException {
        jar.close();
    }

    @Test
    void theExtensionIndexListsThePluginClass() throws IOException {
        ZipEntry index = jar.getEntry("META-INF/extensions.idx");
        assertThat(index).as("META-INF/extensions.idx").isNotNull();
        try (InputStream in = jar.getInputStream(index)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines())
                    .contains(GoFormatPlugin.class.getName());
        }
        assertThat(jar.getManifest().getMainAttributes().getValue("Plugin-Id")).isEqualTo("go-format");
    }

    @Test
    void theGoModuleLibraryIsInside() {
        assertThat(entries).contains("dev/vreg/go/module/Module.class", "dev/vreg/go/module/PathPatterns.class",
                "dev/vreg/go/hash/DirHash.class", "dev/vreg/go/zip/ZipCheck.class");
    }

    @Test
    void hostSuppliedClassesAndTestsAreNotPackaged() {
        assertThat(entries).noneMatch(name -> name.startsWith("dev/vreg/spi/")
                || name.startsWith("io/vertx/")
                || name.startsWith("org/pf4j/")
                || name.startsWith("io/netty/")
                || name.startsWith("com/fasterxml/")
                || name.startsWith("org/slf4j/")
                || name.startsWith("dev/vreg/testkit/")
                || name.endsWith("Test.class") || name.endsWith("IT.class")
                || name.equals("logback-test.xml"));
    }
}
