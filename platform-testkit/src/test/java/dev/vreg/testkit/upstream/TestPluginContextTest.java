package dev.vreg.testkit.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TestPluginContextTest {

    @Test
    void optionsAreFreshCopiesAndCreatedClientsAreCounted() {
        Vertx vertx = Vertx.vertx();
        try {
            TestPluginContext context = new TestPluginContext(vertx, new HttpClientOptions().setConnectTimeout(1234));
            HttpClientOptions options = context.httpClientOptions().setConnectTimeout(99);
            assertThat(context.httpClientOptions().getConnectTimeout()).isEqualTo(1234);

            context.createHttpClient(options).close();
            assertThat(context.httpClientsCreated()).isEqualTo(1);
            assertThat(context.vertx()).isSameAs(vertx);
            assertThat(context.clock()).isNotNull();
            assertThat(context.meterRegistry()).isNotNull();
        } finally {
            Await.result(vertx.close(), Duration.ofSeconds(10));
        }
    }
}
