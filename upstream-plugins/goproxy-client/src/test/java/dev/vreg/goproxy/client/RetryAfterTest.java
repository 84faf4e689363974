package dev.vreg.goproxy.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void secondsAndHttpDatesAreRead() {
        assertThat(RetryAfter.parse("120", CLOCK)).isEqualTo(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse(" 0 ", CLOCK)).isEqualTo(Duration.ZERO);
        assertThat(RetryAfter.parse("Sun, 01 Mar 2026 12:02:30 GMT", CLOCK)).isEqualTo(Duration.ofSeconds(150));
        assertThat(RetryAfter.parse("Sun, 01 Mar 2026 11:00:00 GMT", CLOCK)).as("a date past").isZero();
    }

    @Test
    void aHintIsAtMostADay() {
        assertThat(RetryAfter.parse("86401", CLOCK)).isEqualTo(Duration.ofDays(1));
        assertThat(RetryAfter.parse("99999999999999999999999", CLOCK)).isEqualTo(Duration.ofDays(1));
        assertThat(RetryAfter.parse("Tue, 01 Mar 2044 12:00:00 GMT", CLOCK)).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void anythingElseIsNoHint() {
        assertThat(RetryAfter.parse(null, CLOCK)).isNull();
        assertThat(RetryAfter.parse("", CLOCK)).isNull();
        assertThat(RetryAfter.parse("-5", CLOCK)).isNull();
        assertThat(RetryAfter.parse("1.5", CLOCK)).isNull();
        assertThat(RetryAfter.parse("soon", CLOCK)).isNull();
        assertThat(RetryAfter.parse("Sunday, 01-Mar-26 12:00:00 GMT", CLOCK)).isNull();
    }
}
