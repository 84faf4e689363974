package dev.vreg.goproxy.client;

import static dev.vreg.testkit.upstream.ConformanceArtifacts.TWO_MOD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.spi.ArtifactRequest;
import dev.vreg.spi.Credentials;
import dev.vreg.spi.UpstreamClient;
import dev.vreg.testkit.upstream.Await;
import dev.vreg.testkit.upstream.BodyReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GoproxyAuthenticationTest extends GoproxyTestSupport {

    @BeforeEach
    void serveOneFile() {
        fixture.serve(TWO_MOD, "module github.com/one/two\n".getBytes(StandardCharsets.UTF_8), null);
    }

    @Test
    void userNameAndPasswordAreSentAsBasic() {
        fetchWith(BASIC);
        assertThat(fixture.receivedAuthorizations()).containsExactly("Basic " + base64("builder:basic-secret-4d1a77"));
    }

    @Test
    void aPasswordWithoutUserNameIsSentAsBasicWithAnEmptyUser() {
        fetchWith(Credentials.basic(null, "only-a-password"));
        assertThat(fixture.receivedAuthorizations()).containsExactly("Basic " + base64(":only-a-password"));
    }

    @Test
    void aTokenIsSentAsBearer() {
        fetchWith(TOKEN);
        assertThat(fixture.receivedAuthorizations()).containsExactly("Bearer token-secret-9e03bc");
    }

    @Test
    void noCredentialsMeansNoAuthorizationHeader() {
        fetchWith(null);
        assertThat(fixture.receivedAuthorizations()).containsExactly("");
    }

    @Test
    void theConnectionTestSendsTheCredentialsToo() {
        Await.result(open(fixture.baseUrl(), TOKEN).testConnection(), WAIT);
        assertThat(fixture.receivedAuthorizations()).containsExactly("Bearer token-secret-9e03bc");
    }

    private void fetchWith(Credentials credentials) {
        UpstreamClient client = open(fixture.baseUrl(), credentials);
        Await.result(client.fetch(ArtifactRequest.of(TWO_MOD)).compose(BodyReader::readAll), WAIT);
    }

    private static String base64(String pair) {
        return Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
}
