package dev.vreg.testkit.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AwaitTest {

    private static final Duration SHORT = Duration.ofMillis(50);

    @Test
    void resultReturnsTheValueAndFailsTheTestOtherwise() {
        assertThat(Await.result(Future.succeededFuture("ok"), SHORT)).isEqualTo("ok");
        assertThatThrownBy(() -> Await.result(Future.failedFuture("boom"), SHORT))
                .isInstanceOf(AssertionError.class).hasMessageContaining("boom");
        assertThatThrownBy(() -> Await.result(Promise.promise().future(), SHORT))
                .isInstanceOf(AssertionError.class).hasMessageContaining("did not complete");
    }

    @Test
    void failureReturnsTheCauseAndFailsTheTestOtherwise() {
        IllegalStateException cause = new IllegalStateException("boom");
        assertThat(Await.failure(Future.failedFuture(cause), SHORT)).isSameAs(cause);
        assertThatThrownBy(() -> Await.failure(Future.succeededFuture("ok"), SHORT))
                .isInstanceOf(AssertionError.class).hasMessageContaining("succeeded");
        assertThatThrownBy(() -> Await.failure(Promise.promise().future(), SHORT))
                .isInstanceOf(AssertionError.class).hasMessageContaining("did not complete");
    }
}
