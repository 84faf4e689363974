package dev.vreg.host.storage;

import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a failure of the node's own blob store (its disk full, read-only or failing) into what clients and operators
 * see: a {@link ErrorKind#STORAGE_UNAVAILABLE} failure that names the local store and the system's reason, never an
 * upstream and never a file path, counted in {@code vreg.storage.failures} by operation.
 */
public final class StorageFailures {

    /** What the store was doing; the metric's {@code operation} tag is the lower-case name. */
    public enum Operation {
        CREATE("create a temporary file"),
        WRITE("write"),
        SYNC("flush to disk"),
        CLOSE("close a file"),
        VERIFY("read back what it wrote"),
        COMMIT("commit a blob"),
        PROBE("write its readiness probe");

        private final String doing;

        Operation(String doing) {
            this.doing = doing;
        }
    }

    private final Map<Operation, Counter> counters = new EnumMap<>(Operation.class);

    public StorageFailures(MeterRegistry registry) {
        for (Operation operation : Operation.values()) {
            counters.put(operation, Counter.builder("vreg.storage.failures")
                    .description("Failed operations of the local blob store (a full or failing disk)")
                    .tag("operation", operation.name().toLowerCase(Locale.ROOT))
                    .register(registry));
        }
    }

    /** Counts one failure and answers it for the client. */
    public VregException failed(Operation operation, Throwable cause) {
        counters.get(operation).increment();
        return new VregException(ErrorKind.STORAGE_UNAVAILABLE,
                "the local blob store could not " + operation.doing + ": " + reason(cause), cause);
    }

    /**
     * The operating system's words for what went wrong ("No space left on device"), without the path that most file
     * exceptions put in their message.
     */
    static String reason(Throwable failure) {
        Throwable deepest = failure;
        while (deepest.getCause() != null && deepest.getCause() != deepest) {
            deepest = deepest.getCause();
        }
        if (deepest instanceof java.nio.file.FileSystemException fs) {
            return fs.getReason() != null ? fs.getReason() : fs.getClass().getSimpleName();
        }
        if (deepest instanceof io.vertx.core.file.FileSystemException || deepest.getMessage() == null) {
            return deepest.getClass().getSimpleName();
        }
        return deepest.getMessage();
    }
}
