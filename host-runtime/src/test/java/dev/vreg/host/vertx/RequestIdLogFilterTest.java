package dev.vreg.host.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.support.LogCapture;
import dev.vreg.host.support.LogCapture.Line;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.ContextInternal;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class RequestIdLogFilterTest {

    private static final Logger LOG = LoggerFactory.getLogger(RequestIdLogFilterTest.class);

    @Test
    void aLineCarriesTheIdOfTheRequestItsCallbackBelongsToAndNoOther() throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try (LogCapture logs = LogCapture.attach()) {
            ContextInternal loop = (ContextInternal) vertx.getOrCreateContext();
            ContextInternal first = loop.duplicate();
            ContextInternal second = loop.duplicate();
            Promise<Void> done = Promise.promise();
            Promise<Void> timed = Promise.promise();
            first.runOnContext(v -> {
                RequestId.bind(first, "first");
                second.runOnContext(w -> {
                    RequestId.bind(second, "second");
                    LOG.info("second, on the same event loop");
                });
                LOG.info("first");
                vertx.setTimer(1, id -> {
                    LOG.info("first, a timer later");
                    timed.complete();
                });
                vertx.executeBlocking(() -> {
                    LOG.info("first, on a worker");
                    return null;
                }).onComplete(ar -> {
                    LOG.info("first, after the worker");
                    loop.runOnContext(x -> {
                        LOG.info("the event loop's own context");
                        done.complete();
                    });
                });
            });
            Future.all(done.future(), timed.future()).toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            Thread thread = new Thread(() -> LOG.info("no Vert.x thread"));
            thread.start();
            thread.join();

            Map<String, String> ids = logs.events().stream()
                    .filter(line -> line.logger().equals(RequestIdLogFilterTest.class.getName()))
                    .collect(Collectors.toMap(Line::message, line -> String.valueOf(line.requestId())));
            assertThat(ids).containsOnly(Map.entry("first", "first"), Map.entry("first, a timer later", "first"),
                    Map.entry("first, on a worker", "first"), Map.entry("first, after the worker", "first"),
                    Map.entry("second, on the same event loop", "second"),
                    Map.entry("the event loop's own context", "null"), Map.entry("no Vert.x thread", "null"));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
