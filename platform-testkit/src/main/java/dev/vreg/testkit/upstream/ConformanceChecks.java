package dev.vreg.testkit.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.spi.Credentials;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/** Assertions and probes shared by the conformance tests. */
final class ConformanceChecks {

    private ConformanceChecks() {
    }

    /**
     * Asserts {@code future} fails with a {@link VregException} of {@code kind} whose message, and the messages of
     * its causes, contain none of {@code secrets}.
     */
    static VregException assertFailsWith(Future<?> future, ErrorKind kind, Duration wait, List<String> secrets) {
        Throwable failure = Await.failure(future, wait);
        assertThat(failure).as("failure type").isInstanceOf(VregException.class);
        VregException error = (VregException) failure;
        assertThat(error.kind()).as("kind of failure \"%s\"", error.getMessage()).isEqualTo(kind);
        assertThat(error.getMessage()).as("failure message").isNotBlank();
        assertNoSecrets(error, secrets);
        return error;
    }

    /** Asserts that no message in the cause chain of {@code failure} contains any of {@code secrets}. */
    static void assertNoSecrets(Throwable failure, List<String> secrets) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            assertNoSecrets(t.getMessage(), secrets);
        }
    }

    /** Asserts that {@code message} contains none of {@code secrets}. */
    static void assertNoSecrets(String message, List<String> secrets) {
        if (message == null) {
            return;
        }
        for (String secret : secrets) {
            assertThat(message).as("a message shown to people").doesNotContain(secret);
        }
    }

    /** The strings that must never appear in a message: passwords, tokens and their Basic encodings. */
    static List<String> secretsOf(Credentials... credentials) {
        List<String> secrets = new ArrayList<>();
        for (Credentials c : credentials) {
            if (c == null) {
                continue;
            }
            if (c.hasBasic()) {
                secrets.add(c.password());
                String pair = Objects.requireNonNullElse(c.username(), "") + ":" + c.password();
                secrets.add(Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
            }
            if (c.hasToken()) {
                secrets.add(c.token());
            }
        }
        return secrets;
    }

    /** {@code base} with its port replaced by one that was just free on the loopback interface. */
    static URI withRefusingPort(URI base) {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return new URI(base.getScheme(), null, base.getHost(), port, base.getPath(), null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Bytes of heap in use after a full collection: what the process retains, not what it has yet to collect. */
    static long retainedHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Runs {@code action} and returns how long it took. */
    static Duration timed(Runnable action) {
        long start = System.nanoTime();
        action.run();
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
