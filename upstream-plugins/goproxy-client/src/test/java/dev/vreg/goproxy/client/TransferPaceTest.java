package dev.vreg.goproxy.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.goproxy.client.TransferPace.Breach;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The pace rules on a clock the test moves: silence, rate per window, deadline, and time the consumer held back. */
class TransferPaceTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    /** Read timeout 5 s, 1000 bytes a second over 2-second windows, deadline at 60 s. */
    private final TransferPace pace = new TransferPace(0, 60 * SECOND, 5 * SECOND, 1000, 2 * SECOND);

    @Test
    void aBodyAtTheRateIsJudgedFineWindowAfterWindow() {
        pace.asked(0);
        for (long second = 1; second <= 20; second++) {
            pace.received(second * SECOND, 1000);
            assertThat(pace.check(second * SECOND)).as("at %d s", second).isNull();
        }
    }

    @Test
    void aWindowBelowTheRateIsTooSlowAndSaysHowMuchCame() {
        pace.asked(0);
        pace.received(SECOND, 1500);
        assertThat(pace.check(SECOND)).isNull();
        assertThat(pace.check(2 * SECOND)).isEqualTo(Breach.TOO_SLOW);
        assertThat(pace.windowBytes()).isEqualTo(1500);
    }

    @Test
    void eachWindowStartsFromNothing() {
        pace.asked(0);
        pace.received(SECOND, 10_000);
        assertThat(pace.check(2 * SECOND)).isNull();
        // The surplus of the first window does not carry the second.
        pace.received(3 * SECOND, 100);
        assertThat(pace.check(4 * SECOND)).isEqualTo(Breach.TOO_SLOW);
    }

    @Test
    void timeHeldBackCountsNeitherAsSilenceNorAgainstTheRate() {
        pace.asked(0);
        pace.received(SECOND, 1000);
        pace.held(SECOND);
        assertThat(pace.check(30 * SECOND)).isNull();
        pace.asked(30 * SECOND);
        pace.received(31 * SECOND, 1000);
        // That window was asked for two seconds in all (0-1 and 30-31) and brought 2000 bytes: exactly the rate.
        assertThat(pace.check(31 * SECOND)).isNull();
    }

    @Test
    void silenceWhileAskingEndsTheBodyAfterTheReadTimeout() {
        TransferPace noRate = new TransferPace(0, 60 * SECOND, 5 * SECOND, 0, 2 * SECOND);
        noRate.asked(0);
        noRate.received(SECOND, 1);
        assertThat(noRate.check(5 * SECOND)).isNull();
        assertThat(noRate.check(6 * SECOND)).isEqualTo(Breach.SILENT);
    }

    @Test
    void theDeadlinePassesWhetherOrNotTheConsumerAsks() {
        pace.held(0);
        assertThat(pace.check(59 * SECOND)).isNull();
        assertThat(pace.check(60 * SECOND)).isEqualTo(Breach.PAST_DEADLINE);
    }

    @Test
    void theNextCheckComesWhenARuleCouldBreak() {
        pace.asked(0);
        assertThat(pace.nanosUntilNextCheck(0)).isEqualTo(2 * SECOND);
        pace.held(SECOND);
        // Held back: neither the window nor silence moves; look again after a read timeout.
        assertThat(pace.nanosUntilNextCheck(SECOND)).isEqualTo(5 * SECOND);
        assertThat(pace.nanosUntilNextCheck(58 * SECOND)).isEqualTo(2 * SECOND);
    }

    @Test
    void aClosedConnectionShortensTheSilenceAllowed() {
        pace.asked(0);
        pace.shortenSilence(SECOND, SECOND / 4);
        assertThat(pace.check(SECOND + SECOND / 5)).isNull();
        assertThat(pace.check(SECOND + SECOND / 4)).isEqualTo(Breach.SILENT);
    }
}
