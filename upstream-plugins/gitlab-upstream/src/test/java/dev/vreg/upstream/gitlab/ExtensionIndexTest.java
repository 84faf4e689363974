package dev.vreg.upstream.gitlab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.pf4j.Extension;

/** What PF4J needs to find the plugin, checked on the compiled classes; PluginArchiveIT checks the archive. */
class ExtensionIndexTest {

    @Test
    void theAnnotationProcessorListedThePluginClass() throws IOException {
        Path index = Path.of("target", "classes", "META-INF", "extensions.idx");
        assertThat(Files.readAllLines(index)).contains(GitlabUpstreamPlugin.class.getName());
    }

    @Test
    void thePluginIsAnExtensionWithAPublicNoArgumentConstructor() throws ReflectiveOperationException {
        assertThat(GitlabUpstreamPlugin.class.isAnnotationPresent(Extension.class)).isTrue();
        assertThat(GitlabUpstreamPlugin.class.getConstructor().newInstance().kind()).isEqualTo("gitlab");
    }
}
