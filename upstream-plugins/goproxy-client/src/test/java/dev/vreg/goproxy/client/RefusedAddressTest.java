package dev.vreg.goproxy.client;

import static dev.vreg.testkit.upstream.ConformanceArtifacts.TWO_MOD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.spi.AddressNotAllowedException;
import dev.vreg.spi.ArtifactRequest;
import dev.vreg.spi.ConnectionReport;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.PluginContext;
import dev.vreg.spi.UpstreamClient;
import dev.vreg.spi.UpstreamConfig;
import dev.vreg.spi.VregException;
import dev.vreg.testkit.upstream.Await;
import dev.vreg.testkit.upstream.TestPluginContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The host's HTTP clients refuse addresses upstreams may not use with an {@link AddressNotAllowedException}, whose
 * message was written to be shown; fetches and connection tests pass it on instead of a generic failure.
 */
class RefusedAddressTest extends GoproxyTestSupport {

    static final String REFUSAL = "the address 127.0.0.2 of upstream internal.example:80 is not allowed "
            + "(a loopback address); an instance admin can allow it";

    /** A context whose HTTP clients refuse every connection, as the host's do for a refused address. */
    PluginContext refusing() {
        TestPluginContext test = new TestPluginContext(vertx);
        return new PluginContext() {
            @Override
            public Vertx vertx() {
                return test.vertx();
            }

            @Override
            public HttpClientOptions httpClientOptions() {
                return test.httpClientOptions();
            }

            @Override
            public HttpClient createHttpClient(HttpClientOptions options) {
                return new HttpClient() {
                    @Override
                    public Future<HttpClientRequest> request(RequestOptions request) {
                        return Future.failedFuture(new AddressNotAllowedException(REFUSAL));
                    }

                    @Override
                    public Future<Void> shutdown(long timeout, TimeUnit unit) {
                        return Future.succeededFuture();
                    }
                };
            }

            @Override
            public Clock clock() {
                return test.clock();
            }

            @Override
            public MeterRegistry meterRegistry() {
                return test.meterRegistry();
            }

            @Override
            public String hostVersion() {
                return test.hostVersion();
            }
        };
    }

    UpstreamClient client() {
        return GoproxyClient.open(new UpstreamConfig("refused", "goproxy", URI.create("http://internal.example"),
                BASIC, null, Duration.ofSeconds(5), READ_TIMEOUT), GoproxyClient.DEFAULT_PROBE_PATH, refusing());
    }

    @Test
    void aFetchFailsWithTheHostsReason() {
        Throwable failure = Await.failure(client().fetch(ArtifactRequest.of(TWO_MOD)), WAIT);
        assertThat(failure).isInstanceOf(VregException.class);
        assertThat(((VregException) failure).kind()).isEqualTo(ErrorKind.UPSTREAM_UNAVAILABLE);
        assertThat(failure.getMessage()).isEqualTo(REFUSAL + " (fetching " + TWO_MOD.path() + ")");
    }

    @Test
    void aConnectionTestReportsTheHostsReason() {
        ConnectionReport report = Await.result(client().testConnection(), WAIT);
        assertThat(report.reachable()).isFalse();
        assertThat(report.latencyMillis()).isEqualTo(-1);
        assertThat(report.message()).startsWith("The address 127.0.0.2 of upstream internal.example:80 is not "
                + "allowed");
    }
}
