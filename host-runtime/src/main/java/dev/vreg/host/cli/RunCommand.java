package dev.vreg.host.cli;

import dev.vreg.host.VregServer;
import dev.vreg.host.config.ConfigException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code vreg run}: starts a node and serves until SIGTERM or SIGINT, then stops it in order (see
 * {@link VregServer#close()}) and exits 0. Any other exit of the JVM still stops it through a shutdown hook.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Start vreg and serve until stopped.")
final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() throws Exception {
        VregServer server;
        try {
            server = VregServer.start(options.load());
        } catch (ConfigException e) {
            System.err.println("vreg: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            LOG.error("vreg could not start: {}", rootMessage(e), e);
            return 1;
        }
        ClassDataArchive.writeIfAsked();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            LOG.info("Stopping vreg");
            server.close();
            stopped.countDown();
        }, "vreg-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        StopSignals signals = new StopSignals();
        if (signals.install("already stopping, for up to " + server.config().http.shutdownGrace.toSeconds()
                + "s while responses finish (SIGKILL stops at once)")) {
            signals.await();
            LOG.info("Stopping vreg");
            server.close();
            Runtime.getRuntime().removeShutdownHook(hook);
            LOG.info("vreg stopped");
            return 0;
        }
        stopped.await();
        return 0;
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
