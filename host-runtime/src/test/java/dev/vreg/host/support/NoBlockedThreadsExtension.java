package dev.vreg.host.support;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Fails a test (or its class) when Vert.x reported a blocked event-loop or worker thread while it ran. */
public final class NoBlockedThreadsExtension implements AfterEachCallback, AfterAllCallback {

    @Override
    public void afterEach(ExtensionContext context) {
        check();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        check();
    }

    private static void check() {
        List<String> warnings = BlockedThreadAlarm.drain();
        if (!warnings.isEmpty()) {
            throw new AssertionError("Vert.x reported blocked threads:\n" + String.join("\n", warnings));
        }
    }
}
