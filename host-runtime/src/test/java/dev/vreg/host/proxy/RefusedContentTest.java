package dev.vreg.host.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.spi.VregException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RefusedContentTest {

    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aRefusalIsRecalledForItsUpstreamAndPathUntilItsValidityPasses() {
        MovableClock clock = new MovableClock();
        RefusedContent refused = new RefusedContent(clock, Duration.ofSeconds(60));
        VregException reason = VregException.upstreamInvalid("invalid zip for m@v1.0.0: file path is not clean");
        refused.remember(1, "m/@v/v1.0.0.zip", reason);

        assertThat(refused.recall(1, "m/@v/v1.0.0.zip")).isSameAs(reason);
        assertThat(refused.recall(2, "m/@v/v1.0.0.zip")).isNull();
        assertThat(refused.recall(1, "m/@v/v1.0.1.zip")).isNull();

        clock.now = clock.now.plusSeconds(59);
        assertThat(refused.recall(1, "m/@v/v1.0.0.zip")).isSameAs(reason);
        clock.now = clock.now.plusSeconds(1);
        assertThat(refused.recall(1, "m/@v/v1.0.0.zip")).isNull();
    }

    @Test
    void staysBoundedHoweverManyFilesAreRefused() {
        MovableClock clock = new MovableClock();
        RefusedContent refused = new RefusedContent(clock, Duration.ofSeconds(60));
        VregException reason = VregException.upstreamInvalid("bad");
        for (int i = 0; i < 25_000; i++) {
            refused.remember(1, "m/@v/v1.0." + i + ".zip", reason);
        }
        assertThat(refused.recall(1, "m/@v/v1.0.24999.zip")).isSameAs(reason);
        assertThat(refused.recall(1, "m/@v/v1.0.0.zip")).isNull();
    }
}
