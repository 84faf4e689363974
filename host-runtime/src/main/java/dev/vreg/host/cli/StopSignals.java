package dev.vreg.host.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM and SIGINT as a request to stop, handled by the server itself instead of the JVM's default (which runs the
 * shutdown hooks and then exits with 143 or 130). The orderly stop then runs on the main thread and vreg exits 0, as
 * service managers expect of a clean stop. Where the JVM does not let these signals be handled, its default stays
 * and the shutdown hooks still stop vreg in order.
 */
final class StopSignals {

    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);

    private final CountDownLatch requested = new CountDownLatch(1);
    private final AtomicBoolean received = new AtomicBoolean();

    /** Handles SIGTERM and SIGINT from now on; {@code false} when the JVM did not allow it. */
    boolean install(String whileStopping) {
        try {
            for (String name : new String[] {"TERM", "INT"}) {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                    if (received.compareAndSet(false, true)) {
                        LOG.info("Received SIG{}", signal.getName());
                        requested.countDown();
                    } else {
                        LOG.info("Received SIG{} again; {}", signal.getName(), whileStopping);
                    }
                });
            }
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            LOG.debug("Stop signals are left to the JVM: {}", e.toString());
            return false;
        }
    }

    /** Waits until a stop signal arrives. */
    void await() throws InterruptedException {
        requested.await();
    }
}
