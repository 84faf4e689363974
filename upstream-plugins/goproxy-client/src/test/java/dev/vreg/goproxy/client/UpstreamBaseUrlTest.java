package dev.vreg.goproxy.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UpstreamBaseUrlTest {

    @Test
    void trailingSlashesOfTheBasePathAreTrimmedAsTheGoCommandDoes() {
        assertThat(resolve("https://proxy.golang.org/", "a/@v/list")).isEqualTo("https://proxy.golang.org/a/@v/list");
        assertThat(resolve("https://proxy.golang.org", "a/@v/list")).isEqualTo("https://proxy.golang.org/a/@v/list");
        assertThat(resolve("http://127.0.0.1:8080/api/go//", "a/@latest"))
                .isEqualTo("http://127.0.0.1:8080/api/go/a/@latest");
    }

    @Test
    void escapesInTheBasePathAreKeptAsWritten() {
        assertThat(resolve("https://repo.example/go%20proxy/", "a/@v/list"))
                .isEqualTo("https://repo.example/go%20proxy/a/@v/list");
    }

    @Test
    void theSchemeIsCaseInsensitive() {
        assertThat(resolve("HTTPS://proxy.golang.org", "m/@v/list")).startsWith("https://");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://proxy.example/", "file:///var/cache/go", "mailto:ops@example.com",
        "proxy.golang.org", "http:///just-a-path", "https://proxy.example/?mode=fast", "https://proxy.example/#top"})
    void urlsThatAreNotPlainHttpBasesAreInvalid(String url) {
        assertThatThrownBy(() -> UpstreamBaseUrl.parse(URI.create(url)))
                .isInstanceOfSatisfying(VregException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID));
    }

    @Test
    void credentialsInTheUrlAreRejectedWithoutRepeatingThem() {
        assertThatThrownBy(() -> UpstreamBaseUrl.parse(URI.create("https://ci:hunter2@proxy.example/")))
                .isInstanceOfSatisfying(VregException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID);
                    assertThat(e.getMessage()).contains("credentials").doesNotContain("hunter2").doesNotContain("ci:");
                });
    }

    @Test
    void sameOriginComparesSchemeHostAndEffectivePort() {
        UpstreamBaseUrl base = UpstreamBaseUrl.parse(URI.create("https://Proxy.Example/go/"));
        assertThat(base.sameOrigin(URI.create("https://proxy.example:443/elsewhere"))).isTrue();
        assertThat(base.sameOrigin(URI.create("https://proxy.example:8443/go/x"))).isFalse();
        assertThat(base.sameOrigin(URI.create("http://proxy.example/go/x"))).isFalse();
        assertThat(base.sameOrigin(URI.create("https://cdn.proxy.example/go/x"))).isFalse();
    }

    @Test
    void displayShowsHostAndExplicitPortOnly() {
        assertThat(UpstreamBaseUrl.parse(URI.create("https://proxy.golang.org/")).display())
                .isEqualTo("proxy.golang.org");
        assertThat(UpstreamBaseUrl.display(URI.create("http://user:pw@127.0.0.1:3000/x"))).isEqualTo("127.0.0.1:3000");
    }

    private static String resolve(String base, String path) {
        return UpstreamBaseUrl.parse(URI.create(base)).resolve(path).toString();
    }
}
