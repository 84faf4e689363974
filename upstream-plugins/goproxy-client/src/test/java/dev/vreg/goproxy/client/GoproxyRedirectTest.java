package dev.vreg.goproxy.client;

import static dev.vreg.testkit.upstream.ConformanceArtifacts.TWO_MOD;
import static dev.vreg.testkit.upstream.ConformanceArtifacts.ref;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.spi.ArtifactRequest;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.UpstreamClient;
import dev.vreg.spi.VregException;
import dev.vreg.testkit.go.GoproxyFixture;
import dev.vreg.testkit.upstream.Await;
import dev.vreg.testkit.upstream.BodyReader;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GoproxyRedirectTest extends GoproxyTestSupport {

    private static final byte[] MOVED = "module github.com/one/two\n".getBytes(StandardCharsets.UTF_8);
    private GoproxyFixture elsewhere;

    @BeforeAll
    void startSecondServer() {
        elsewhere = GoproxyFixture.start();
    }

    @AfterEach
    void resetSecondServer() {
        elsewhere.reset();
    }

    @AfterAll
    void stopSecondServer() {
        elsewhere.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void redirectsToAnotherPathAreFollowedWithTheCredentials(int status) {
        fixture.serve(ref("moved/@v/v1.mod"), MOVED, null);
        fixture.redirect(TWO_MOD.path(), status, urlOf(fixture, "moved/@v/v1.mod"));

        assertThat(fetch(open(fixture.baseUrl(), BASIC)).getBytes()).isEqualTo(MOVED);
        assertThat(fixture.receivedTargets()).containsExactly("/goproxy/" + TWO_MOD.path(), "/goproxy/moved/@v/v1.mod");
        assertThat(fixture.receivedAuthorizations()).hasSize(2).allMatch(header -> header.startsWith("Basic "));
    }

    @Test
    void relativeLocationsAreResolvedAgainstTheRequestUrl() {
        fixture.serve(ref("github.com/one/two/@v/v9.mod"), MOVED, null);
        fixture.redirect(TWO_MOD.path(), 302, "v9.mod");
        assertThat(fetch(open(fixture.baseUrl(), null)).getBytes()).isEqualTo(MOVED);
    }

    @Test
    void credentialsAreNeverSentToAnotherOrigin() {
        elsewhere.serve(TWO_MOD, MOVED, null);
        // User info in a Location is ignored as well: it must not become credentials either.
        String target = elsewhere.baseUrl().toString().replace("http://", "http://intruder:pw@") + TWO_MOD.path();
        fixture.redirect(TWO_MOD.path(), 302, target);

        assertThat(fetch(open(fixture.baseUrl(), TOKEN)).getBytes()).isEqualTo(MOVED);
        assertThat(fixture.receivedAuthorizations()).containsExactly("Bearer token-secret-9e03bc");
        assertThat(elsewhere.receivedAuthorizations()).containsExactly("");
    }

    @Test
    void tenRedirectsAreFollowed() {
        // TWO_MOD -> hop/1 -> ... -> hop/9 -> final: ten redirects, eleven requests.
        fixture.redirect(TWO_MOD.path(), 302, urlOf(fixture, "hop/1"));
        for (int hop = 1; hop < 9; hop++) {
            fixture.redirect("hop/" + hop, 302, urlOf(fixture, "hop/" + (hop + 1)));
        }
        fixture.redirect("hop/9", 302, urlOf(fixture, "final/@v/v1.mod"));
        fixture.serve(ref("final/@v/v1.mod"), MOVED, null);

        assertThat(fetch(open(fixture.baseUrl(), null)).getBytes()).isEqualTo(MOVED);
        assertThat(fixture.receivedTargets()).hasSize(11);
    }

    @Test
    void anEleventhRedirectIsRefused() {
        fixture.redirect(TWO_MOD.path(), 302, urlOf(fixture, TWO_MOD.path()));
        VregException error = failure(open(fixture.baseUrl(), null));
        assertThat(error.kind()).isEqualTo(ErrorKind.UPSTREAM_UNAVAILABLE);
        assertThat(error.getMessage()).contains("more than 10 times");
        assertThat(fixture.receivedTargets()).hasSize(11);
    }

    @Test
    void redirectsToOtherSchemesOrMalformedLocationsFail() {
        fixture.redirect(TWO_MOD.path(), 302, "ftp://127.0.0.1/two.mod");
        assertThat(failure(open(fixture.baseUrl(), null)).getMessage()).contains("not an http(s) URL");
        fixture.redirect(TWO_MOD.path(), 302, "http://[broken");
        assertThat(failure(open(fixture.baseUrl(), null)).getMessage()).contains("malformed location");
    }

    private static Buffer fetch(UpstreamClient client) {
        return Await.result(client.fetch(ArtifactRequest.of(TWO_MOD)).compose(BodyReader::readAll), WAIT);
    }

    private static VregException failure(UpstreamClient client) {
        return (VregException) Await.failure(client.fetch(ArtifactRequest.of(TWO_MOD)), WAIT);
    }
}
