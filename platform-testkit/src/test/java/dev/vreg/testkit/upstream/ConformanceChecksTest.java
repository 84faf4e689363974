package dev.vreg.testkit.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vreg.spi.Credentials;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConformanceChecksTest {

    private static final Duration SHORT = Duration.ofMillis(100);

    @Test
    void secretsIncludeTheBasicEncodingOfTheUserAndPassword() {
        assertThat(ConformanceChecks.secretsOf(Credentials.basic("u", "p"), Credentials.token("t"), null))
                .containsExactly("p", "dTpw", "t");
    }

    @Test
    void aSecretAnywhereInTheCauseChainFailsTheCheck() {
        VregException error = new VregException(ErrorKind.UPSTREAM_UNAVAILABLE, "upstream down",
                new IllegalStateException("sent Authorization: Basic dTpw"));
        assertThatThrownBy(() -> ConformanceChecks.assertNoSecrets(error, List.of("dTpw")))
                .isInstanceOf(AssertionError.class);
        ConformanceChecks.assertNoSecrets(error, List.of("hunter2"));
    }

    @Test
    void assertFailsWithChecksTypeAndKind() {
        List<String> none = List.of();
        assertThat(ConformanceChecks.assertFailsWith(Future.failedFuture(VregException.notFound("gone fishing")),
                ErrorKind.NOT_FOUND, SHORT, none).getMessage()).isEqualTo("gone fishing");
        assertThatThrownBy(() -> ConformanceChecks.assertFailsWith(
                Future.failedFuture(VregException.notFound("x")), ErrorKind.GONE, SHORT, none))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> ConformanceChecks.assertFailsWith(
                Future.failedFuture(new IllegalStateException("raw")), ErrorKind.NOT_FOUND, SHORT, none))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void aRefusingPortKeepsSchemeHostAndPath() {
        URI refusing = ConformanceChecks.withRefusingPort(URI.create("http://127.0.0.1:1234/base/"));
        assertThat(refusing.getScheme()).isEqualTo("http");
        assertThat(refusing.getHost()).isEqualTo("127.0.0.1");
        assertThat(refusing.getPath()).isEqualTo("/base/");
        assertThat(refusing.getPort()).isPositive().isNotEqualTo(1234);
    }
}
