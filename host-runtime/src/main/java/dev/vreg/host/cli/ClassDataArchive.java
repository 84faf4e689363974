package dev.vreg.host.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The class-data sharing archive the launcher asks for when its data directory has none for this Java runtime and
 * these jars ({@code -XX:+RecordDynamicDumpInfo -Dvreg.cds.archive=FILE}, see {@code src/dist/vreg}). It is written
 * once the node is ready, so it holds the classes of start-up and of the requests served so far; later starts map
 * them instead of loading and verifying them. It is written under a temporary name and then renamed, so a start that
 * failed, or a stop in the middle, leaves no archive of half the classes behind.
 */
final class ClassDataArchive {

    static final String PROPERTY = "vreg.cds.archive";

    private static final Logger LOG = LoggerFactory.getLogger(ClassDataArchive.class);

    private ClassDataArchive() {
    }

    /** Writes the archive on a thread of its own when the launcher asked for one; a failure is only logged. */
    static void writeIfAsked() {
        String target = System.getProperty(PROPERTY);
        if (target == null || target.isBlank() || !recording()) {
            return;
        }
        Thread writer = new Thread(() -> write(Path.of(target).toAbsolutePath()), "vreg-class-data-archive");
        writer.setDaemon(true);
        writer.start();
    }

    private static boolean recording() {
        try {
            return Boolean.parseBoolean(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .getVMOption("RecordDynamicDumpInfo").getValue());
        } catch (IllegalArgumentException | UnsupportedOperationException notThisJvm) {
            return false;
        }
    }

    private static void write(Path target) {
        Path temp = target.resolveSibling(target.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        long started = System.nanoTime();
        try {
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(temp);
            // jcmd's VM.cds dynamic_dump (JDK 17 and later), asked of this JVM through its diagnostic commands.
            ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmCds",
                    new Object[] {new String[] {"dynamic_dump", temp.toString()}},
                    new String[] {String[].class.getName()});
            if (!Files.isRegularFile(temp) || Files.size(temp) == 0) {
                LOG.warn("The Java runtime wrote no class-data sharing archive to {}; starts load classes as usual",
                        temp);
                return;
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("Wrote the class-data sharing archive {} in {} ms; the next starts map its classes", target,
                    (System.nanoTime() - started) / 1_000_000);
        } catch (Exception e) {
            LOG.warn("Could not write the class-data sharing archive {}: {}; starts load classes as usual", target,
                    e.toString());
            try {
                Files.deleteIfExists(temp);
            } catch (Exception ignored) {
                // Best effort: the launcher only ever maps the final name.
            }
        }
    }
}
