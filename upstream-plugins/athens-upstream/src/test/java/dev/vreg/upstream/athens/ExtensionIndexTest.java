package dev.vreg.upstream.athens;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.pf4j.Extension;

/**
 * What PF4J needs to find the plugin, checked on the compiled classes that go into the archive. The archive itself is
 * checked by {@code PluginArchiveIT} after packaging.
 */
class ExtensionIndexTest {

    @Test
    void theAnnotationProcessorListedThePluginClass() throws IOException {
        Path index = Path.of("target", "classes", "META-INF", "extensions.idx");
        assertThat(Files.readAllLines(index)).contains(AthensUpstreamPlugin.class.getName());
    }

    @Test
    void thePluginIsAnExtensionWithAPublicNoArgumentConstructor() throws ReflectiveOperationException {
        assertThat(AthensUpstreamPlugin.class.isAnnotationPresent(Extension.class)).isTrue();
        assertThat(AthensUpstreamPlugin.class.getConstructor().newInstance().kind()).isEqualTo("athens");
    }
}
