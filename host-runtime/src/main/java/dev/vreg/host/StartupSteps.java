package dev.vreg.host;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * How long each step of start-up took, said in one line once the node is ready, so that a slow start shows where it
 * spent its time. Steps may run side by side; each is timed from its own start to its own end.
 */
final class StartupSteps {

    private record Step(String name, long startedAt, long millis) {
    }

    private final long jvmStartedAt = ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli)
            .orElse(System.currentTimeMillis());
    private final long startedAt = System.currentTimeMillis();
    private final List<Step> steps = new ArrayList<>();

    /** Runs a blocking step. */
    <T> T time(String name, Callable<T> step) throws Exception {
        long begin = System.currentTimeMillis();
        try {
            return step.call();
        } finally {
            record(name, begin);
        }
    }

    /** Times an asynchronous step from now until its future completes. */
    <T> Future<T> timeAsync(String name, Supplier<Future<T>> step) {
        long begin = System.currentTimeMillis();
        return step.get().andThen(done -> record(name, begin));
    }

    synchronized void record(String name, long begin) {
        steps.add(new Step(name, begin, System.currentTimeMillis() - begin));
    }

    /** Milliseconds from the JVM's start until now. */
    long sinceJvmStart() {
        return System.currentTimeMillis() - jvmStartedAt;
    }

    /** E.g. {@code 2914 ms after the JVM started (JVM until vreg's start 412 ms; database 602 ms, ...)}. */
    synchronized String summary() {
        return String.format(Locale.ROOT, "%d ms after the JVM started (JVM and command line %d ms; %s)",
                sinceJvmStart(), startedAt - jvmStartedAt, steps.stream()
                        .sorted((a, b) -> Long.compare(a.startedAt(), b.startedAt()))
                        .map(step -> step.name() + " " + step.millis() + " ms")
                        .collect(Collectors.joining(", ")));
    }
}
