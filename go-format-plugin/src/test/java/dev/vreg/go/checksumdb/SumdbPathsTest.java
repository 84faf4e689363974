package dev.vreg.go.checksumdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vreg.go.GoFormatPlugin;
import dev.vreg.spi.ChecksumDbRequest;
import dev.vreg.spi.ChecksumDbRequest.Kind;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import org.junit.jupiter.api.Test;

/** The paths cmd/go/internal/modfetch/sumdb.go sends below a proxy that said it proxies a database. */
class SumdbPathsTest {

    final GoFormatPlugin plugin = new GoFormatPlugin();

    ChecksumDbRequest classify(String raw) {
        return plugin.checksumDbRequest(raw).orElseThrow();
    }

    @Test
    void readsEachEndpoint() {
        assertThat(classify("sumdb/sum.golang.org/supported"))
                .isEqualTo(new ChecksumDbRequest("sum.golang.org", Kind.SUPPORTED, "", null, false));
        assertThat(classify("sumdb/sum.golang.org/latest"))
                .isEqualTo(new ChecksumDbRequest("sum.golang.org", Kind.LATEST, "latest", null, false));
        assertThat(classify("sumdb/sum.golang.org/tile/8/0/x001/234"))
                .isEqualTo(new ChecksumDbRequest("sum.golang.org", Kind.TILE, "tile/8/0/x001/234", null, true));
        assertThat(classify("sumdb/sum.golang.org/tile/8/1/000.p/3").immutable()).isFalse();
        assertThat(classify("sumdb/sum.golang.org/tile/8/data/000").immutable()).isTrue();
    }

    @Test
    void lookupsNameTheModuleDecodedAndAreForwardedCanonically() {
        ChecksumDbRequest lookup = classify("sumdb/sum.golang.org/lookup/github.com/%21burnt%21sushi/toml@v1.3.2");
        assertThat(lookup.kind()).isEqualTo(Kind.LOOKUP);
        assertThat(lookup.name()).isEqualTo("github.com/BurntSushi/toml");
        assertThat(lookup.path()).isEqualTo("lookup/github.com/!burnt!sushi/toml@v1.3.2");
        assertThat(classify("sumdb/sum.golang.org/lookup/github.com/!burnt!sushi/toml@v1.3.2")).isEqualTo(lookup);
    }

    @Test
    void aNameMayHaveAPath() {
        ChecksumDbRequest request = classify("sumdb/localhost.localdev/sumdb/lookup/example.com/m@v1.0.0");
        assertThat(request.database()).isEqualTo("localhost.localdev/sumdb");
        assertThat(classify("sumdb/localhost.localdev/sumdb/supported").database())
                .isEqualTo("localhost.localdev/sumdb");
    }

    @Test
    void otherPathsAreNoDatabasePaths() {
        assertThat(plugin.checksumDbRequest("example.com/m/@v/list")).isEmpty();
        assertThat(plugin.checksumDbRequest("sumdbx/a/supported")).isEmpty();
    }

    @Test
    void malformedRequestsAreRefused() {
        assertThat(kindOf("sumdb/sum.golang.org/lookup/example.com/m")).isEqualTo(ErrorKind.INVALID);
        assertThat(kindOf("sumdb/sum.golang.org/lookup/Example.com/m@v1.0.0")).isEqualTo(ErrorKind.INVALID);
        assertThat(kindOf("sumdb/sum.golang.org/tile/8/0/1")).isEqualTo(ErrorKind.INVALID);
        assertThat(kindOf("sumdb/sum.golang.org/other")).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(kindOf("sumdb/sum+x/supported")).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(kindOf("sumdb//supported")).isEqualTo(ErrorKind.NOT_FOUND);
    }

    private ErrorKind kindOf(String raw) {
        try {
            plugin.checksumDbRequest(raw);
        } catch (VregException e) {
            return e.kind();
        }
        throw new AssertionError(raw + " was accepted");
    }

    @Test
    void theVerifierCoversModAndZipOnly() {
        GoChecksumVerifier verifier = new GoChecksumVerifier();
        assertThat(verifier.covers(plugin.classify("example.com/m/@v/v1.0.0.zip"))).isTrue();
        assertThat(verifier.covers(plugin.classify("example.com/m/@v/v1.0.0.mod"))).isTrue();
        assertThat(verifier.covers(plugin.classify("example.com/m/@v/v1.0.0.info"))).isFalse();
        assertThat(verifier.covers(plugin.classify("example.com/m/@v/list"))).isFalse();
        assertThat(verifier.keyProblem("sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"))
                .isEmpty();
        assertThat(verifier.keyProblem("sum.golang.org")).isPresent();
        assertThatThrownBy(() -> classify("sumdb/a/b/c")).isInstanceOf(VregException.class);
    }
}
