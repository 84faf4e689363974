package dev.vreg.go.info;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Rfc3339Test {

    @ParameterizedTest
    @ValueSource(strings = {
        "2023-01-02T03:04:05Z", "2023-01-02T03:04:05.123456789Z", "2023-01-02T03:04:05+01:00",
        "2023-01-02T23:59:59-23:59", "2024-02-29T00:00:00Z", "0000-01-01T00:00:00Z", "2023-01-02T03:04:05.1+05:30",
    })
    void accepts(String s) {
        assertThat(Rfc3339.isValid(s)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "2023-01-02", "2023-01-02T03:04Z", "2023-01-02t03:04:05Z", "2023-01-02T03:04:05z",
        "2023-01-02 03:04:05Z", "2023-01-02T03:04:05", "2023-13-02T03:04:05Z", "2023-02-29T03:04:05Z",
        "2023-01-00T03:04:05Z", "2023-01-02T24:00:00Z", "2023-01-02T03:60:05Z", "2023-01-02T03:04:60Z",
        "2023-01-02T03:04:05+24:00", "2023-01-02T03:04:05+01:60", "2023-01-02T3:04:05Z",
        "2023-01-02T03:04:05,5Z", "2023-01-02T03:04:05.Z", "2023-01-02T03:04:05+0100", "+2023-01-02T03:04:05Z",
    })
    void rejects(String s) {
        assertThat(Rfc3339.isValid(s)).isFalse();
    }
}
