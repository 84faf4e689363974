package dev.vreg.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class VregExceptionTest {

    @Test
    void aRetryDelayIsKeptWithTheKindMessageAndCause() {
        IllegalStateException cause = new IllegalStateException("x");
        VregException failure = VregException.upstreamUnavailable("upstream u answered 503", cause);
        assertThat(failure.retryAfter()).isNull();

        VregException later = failure.withRetryAfter(Duration.ofSeconds(120));
        assertThat(later.retryAfter()).isEqualTo(Duration.ofSeconds(120));
        assertThat(later.kind()).isEqualTo(ErrorKind.UPSTREAM_UNAVAILABLE);
        assertThat(later).hasMessage("upstream u answered 503").hasCause(cause);
        assertThat(later.withRetryAfter(null).retryAfter()).isNull();
        assertThatThrownBy(() -> failure.withRetryAfter(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
