package dev.vreg.upstream.athens;

import dev.vreg.testkit.go.GoproxyFixture;
import java.nio.charset.StandardCharsets;

/**
 * Athens' own endpoints on a {@link GoproxyFixture}, as Athens answers them under its path prefix: {@code /healthz}
 * 200 with an empty body, {@code /readyz} 200 when its storage answers a list, {@code /catalog} the JSON of its
 * catalog handler ({@code {"modules":[{"module":...,"version":...}],"next":...}}) or 501 for storage that keeps
 * none. Athens itself cannot be built here, so the fixture plays it; its GOPROXY answers are the fixture's.
 */
final class AthensFixture {

    private AthensFixture() {
    }

    /** A GOPROXY fixture that also answers as a healthy, ready Athens with a catalog. */
    static GoproxyFixture start() {
        return healthy(GoproxyFixture.start());
    }

    /** Programs {@code proxy}'s Athens endpoints as a healthy, ready Athens whose catalog lists one module. */
    static GoproxyFixture healthy(GoproxyFixture proxy) {
        proxy.answer("healthz", new byte[0]);
        proxy.answer("readyz", new byte[0]);
        proxy.answer("catalog", ("{\"modules\":[{\"module\":\"github.com/one/two\",\"version\":\"v1.1.0\"}],"
                + "\"next\":\"\"}\n").getBytes(StandardCharsets.UTF_8));
        return proxy;
    }
}
