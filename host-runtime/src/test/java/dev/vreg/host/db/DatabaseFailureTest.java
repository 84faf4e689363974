package dev.vreg.host.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.http.Failure;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.net.SocketException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class DatabaseFailureTest {

    static PgException pg(String sqlState) {
        return new PgException("message", "FATAL", sqlState, null);
    }

    @Test
    void lostAndRefusedConnectionsAndAServerGoingAwayAreOutages() {
        assertThat(DatabaseFailure.isUnavailable(ClosedConnectionException.INSTANCE)).isTrue();
        assertThat(DatabaseFailure.isUnavailable(new ConnectException("Connection refused"))).isTrue();
        assertThat(DatabaseFailure.isUnavailable(new SocketException("Connection reset"))).isTrue();
        assertThat(DatabaseFailure.isUnavailable(pg("57P01"))).isTrue();
        assertThat(DatabaseFailure.isUnavailable(pg("57P03"))).isTrue();
        assertThat(DatabaseFailure.isUnavailable(pg("08006"))).isTrue();
        assertThat(DatabaseFailure.isUnavailable(new VertxException("Timeout waiting for connection", true)))
                .isTrue();
        assertThat(DatabaseFailure.isUnavailable(new CompletionException(ClosedConnectionException.INSTANCE)))
                .isTrue();
    }

    @Test
    void refusedStatementsAndUpstreamFailuresAreNot() {
        assertThat(DatabaseFailure.isUnavailable(pg("23505"))).isFalse();
        assertThat(DatabaseFailure.isUnavailable(pg("42P01"))).isFalse();
        assertThat(DatabaseFailure.isUnavailable(new IllegalStateException("bug"))).isFalse();
        assertThat(DatabaseFailure.isUnavailable(new VregException(ErrorKind.UPSTREAM_UNAVAILABLE,
                "upstream proxy.example refused the connection", new ConnectException("Connection refused"))))
                .isFalse();
        assertThat(DatabaseFailure.isUnavailable(new VregException(ErrorKind.STORAGE_UNAVAILABLE,
                "the S3 blob store could not read a blob", new SocketException("Connection reset")))).isFalse();
    }

    @Test
    void anOutageIsA503WithRetryAfterThatNamesTheDatabase() {
        Failure failure = Failure.of(ClosedConnectionException.INSTANCE);
        assertThat(failure.status()).isEqualTo(503);
        assertThat(failure.retryAfter()).isPositive();
        assertThat(failure.detail()).contains("database").doesNotContain("upstream");
        assertThat(Failure.of(pg("23505")).retryAfter()).isNull();
    }
}
