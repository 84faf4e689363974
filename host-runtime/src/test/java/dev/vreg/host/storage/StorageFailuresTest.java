package dev.vreg.host.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.http.Failure;
import dev.vreg.host.storage.StorageFailures.Operation;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import org.junit.jupiter.api.Test;

class StorageFailuresTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final StorageFailures failures = new StorageFailures(registry);

    @Test
    void aFailureNamesTheLocalStoreAndTheSystemsReasonIsAnsweredWith503AndCountsByOperation() {
        VregException e = failures.failed(Operation.WRITE, new IOException("No space left on device"));
        assertThat(e.kind()).isEqualTo(ErrorKind.STORAGE_UNAVAILABLE);
        assertThat(e.getMessage()).isEqualTo("the local blob store could not write: No space left on device");
        assertThat(Failure.of(e).status()).isEqualTo(503);
        assertThat(Failure.of(e).title()).isEqualTo("Service unavailable");
        failures.failed(Operation.SYNC, new IOException("Input/output error"));
        failures.failed(Operation.WRITE, new IOException("No space left on device"));
        assertThat(count("write")).isEqualTo(2);
        assertThat(count("sync")).isEqualTo(1);
        assertThat(count("probe")).isZero();
    }

    @Test
    void theReasonNeverCarriesAPath() {
        String path = "/var/lib/vreg/blobs/tmp/0f3c.part";
        assertThat(failures.failed(Operation.CREATE, new io.vertx.core.file.FileSystemException(
                "Unable to open file at path '" + path + "'", new FileSystemException(path, null,
                "No space left on device"))).getMessage())
                .isEqualTo("the local blob store could not create a temporary file: No space left on device");
        assertThat(failures.failed(Operation.CREATE, new AccessDeniedException(path)).getMessage())
                .doesNotContain(path).endsWith(": AccessDeniedException");
        assertThat(failures.failed(Operation.CREATE,
                new io.vertx.core.file.FileSystemException("Unable to open file at path '" + path + "'"))
                .getMessage()).doesNotContain(path);
    }

    private double count(String operation) {
        return registry.get("vreg.storage.failures").tag("operation", operation).counter().count();
    }
}
