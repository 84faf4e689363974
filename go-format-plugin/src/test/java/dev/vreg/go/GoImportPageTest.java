package dev.vreg.go;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vreg.spi.DiscoveryPage;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GoImportPageTest {

    final GoFormatPlugin go = new GoFormatPlugin();

    @Test
    void aGoGetRequestIsAnsweredWithAModImportOfTheRequestedPath() {
        DiscoveryPage page = go.discoveryPage("go.acme.example/tools/lint", Map.of("go-get", "1"),
                "https://vreg.example/go/acme/main").orElseThrow();
        assertThat(page.contentType()).isEqualTo("text/html; charset=utf-8");
        assertThat(page.body()).contains("<meta name=\"go-import\" content=\"go.acme.example/tools/lint mod "
                + "https://vreg.example/go/acme/main\">");
        assertThat(page.body().indexOf("go-import")).isLessThan(page.body().indexOf("<body>"));
    }

    @Test
    void otherRequestsAreNotDiscoveryRequests() {
        assertThat(go.discoveryPage("go.acme.example/x", Map.of(), "https://v/go/a/b")).isEmpty();
        assertThat(go.discoveryPage("go.acme.example/x", Map.of("go-get", "0"), "https://v/go/a/b")).isEmpty();
    }

    @Test
    void aMalformedPathIsNotFoundWithGosReason() {
        for (String path : new String[] {"go.acme.example/a b", "go.acme.example//x", "go.acme.example/a\"b"}) {
            assertThatThrownBy(() -> go.discoveryPage(path, Map.of("go-get", "1"), "https://v/go/a/b"))
                    .as(path).isInstanceOfSatisfying(VregException.class,
                            e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND))
                    .hasMessageContaining("malformed import path");
        }
    }

    @Test
    void theRegistryUrlIsEscapedInTheAttribute() {
        DiscoveryPage page = go.discoveryPage("go.acme.example/x", Map.of("go-get", "1"),
                "https://v/go/a/b\"><script>").orElseThrow();
        assertThat(page.body()).doesNotContain("<script>").contains("&quot;&gt;&lt;script&gt;");
    }

    @Test
    void prefixesAreModulePathsWithAnOptionalTrailingSlash() {
        assertThat(go.vanityPrefixProblem("go.acme.example/")).isEmpty();
        assertThat(go.vanityPrefixProblem("go.acme.example/tools")).isEmpty();
        assertThat(go.vanityPrefixProblem("go.acme.example")).isEmpty();
        assertThat(go.vanityPrefixProblem("*.acme.example")).get().asString().contains("is not a module path");
        assertThat(go.vanityPrefixProblem("Go.Acme.Example/x")).isPresent();
        assertThat(go.vanityPrefixProblem("localhost/x")).isPresent();
        assertThat(go.vanityPrefixProblem("go.acme.example//")).isPresent();
        assertThat(go.vanityPrefixProblem("go.acme.example/" + "a".repeat(600))).get().asString()
                .contains("longer than");
    }
}
