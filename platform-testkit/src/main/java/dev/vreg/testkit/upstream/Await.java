package dev.vreg.testkit.upstream;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Blocks a test thread (never an event loop) until a Vert.x {@link Future} completes, so conformance tests read as
 * plain sequences of steps.
 */
public final class Await {

    private Await() {
    }

    /** The result of {@code future}; fails the test if it failed or did not complete within {@code timeout}. */
    public static <T> T result(Future<T> future, Duration timeout) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("expected success, but the future failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the future did not complete within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }

    /** The failure of {@code future}; fails the test if it succeeded or did not complete within {@code timeout}. */
    public static Throwable failure(Future<?> future, Duration timeout) {
        try {
            Object value = future.toCompletionStage().toCompletableFuture()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected a failure, but the future succeeded with " + value);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("the future did not complete within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }
}
