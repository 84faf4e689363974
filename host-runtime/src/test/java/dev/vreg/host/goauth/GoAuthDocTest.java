package dev.vreg.host.goauth;

import dev.vreg.host.docs.DocPage;
import dev.vreg.host.support.PrivateGoRegistry;
import dev.vreg.testkit.docs.DocRunner;
import dev.vreg.testkit.go.GoModule;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every example of docs/goauth.md, in order, against a throwaway vreg on its embedded default with the
 * generated CA, serving {@code go.acme.example/hello} from the private registry {@code acme/private}.
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
public class GoAuthDocTest {

    @TempDir
    static Path temp;

    static PrivateGoRegistry registry;

    @BeforeAll
    static void start() {
        registry = PrivateGoRegistry.start(Clock.systemUTC(), config -> { },
                GoModule.builder("go.acme.example/hello", "v1.0.0").build(),
                GoModule.builder("go.acme.example/hello", "v1.1.0").build());
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void everyExampleRunsAsShown() {
        String host = "127.0.0.1:" + registry.httpsPort();
        String ca = registry.vreg.caFile().toString();
        // The page's first block sets the three variables from the placeholders; file blocks expand them too.
        DocRunner.in(temp.resolve("session"))
                .rewrite("vreg.example.com:8443", host)
                .rewrite("/path/to/ca.pem", ca)
                .rewrite("vreg_...", registry.readerToken)
                .env("VREG_HOST", host)
                .env("VREG_CA", ca)
                .env("VREG_TOKEN", registry.readerToken)
                .env("GOTOOLCHAIN", "local")
                .env("GOFLAGS", "-modcacherw")
                .timeout(Duration.ofMinutes(1))
                .run(DocPage.GOAUTH.read())
                .assertPassed();
    }
}
