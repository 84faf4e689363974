package dev.vreg.host.api;

import dev.vreg.host.upstream.UpstreamOpener;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vreg.host.identity.Authenticator;
import dev.vreg.host.registry.RegistryDirectory;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** docs/openapi.yaml describes exactly the operations the admin API serves. */
class OpenApiCoverageTest {

    @Test
    void everyRouteIsDescribedAndEveryDescribedOperationIsServed() throws Exception {
        JsonNode spec = new ObjectMapper(new YAMLFactory()).readTree(Path.of("..", "docs", "openapi.yaml").toFile());
        assertThat(spec.path("openapi").asText()).startsWith("3.1");
        Set<String> documented = new TreeSet<>();
        for (Iterator<String> paths = spec.path("paths").fieldNames(); paths.hasNext(); ) {
            String path = paths.next();
            spec.path("paths").path(path).fieldNames().forEachRemaining(method -> {
                if (!method.equals("parameters")) {
                    documented.add(method.toUpperCase(Locale.ROOT) + " " + path);
                }
            });
        }

        Vertx vertx = Vertx.vertx();
        try {
            Clock clock = Clock.systemUTC();
            ApiContract contract = ApiContract.load(vertx).await();
            AdminApi api = new AdminApi(contract, null,
                    new Authenticator(null, null, null, clock, Duration.ofSeconds(1)), null,
                    new RegistryDirectory(null, clock, Duration.ofSeconds(1)), null,
                    new AdminApi.Limits(1, 1), Optional.empty(),
                    new UpstreamOpener(null, Optional.empty(), null, Duration.ofSeconds(1), Duration.ofSeconds(1)),
                    null, clock, true).withStorage(new dev.vreg.host.storage.api.StorageHandler("filesystem", null, null), null)
                    .withPolicies(new dev.vreg.host.policy.Policies(new dev.vreg.host.policy.FilterStore(null),
                            new dev.vreg.host.policy.AuditLog(null), null))
                    .withAudit(new dev.vreg.host.audit.AuditTrail(null), new dev.vreg.host.audit.Webhooks(
                            new dev.vreg.host.audit.WebhookStore(null), null));
            dev.vreg.host.jobs.JobRunner jobs = new dev.vreg.host.jobs.JobRunner(vertx,
                    new dev.vreg.host.jobs.JobStore(null), null, null, clock, "node");
            api.withJobs(jobs).withLifecycle(new dev.vreg.host.policy.lifecycle.Lifecycle(
                    new dev.vreg.host.policy.lifecycle.LifecycleStore(null), null, null, null, id -> Optional.empty(),
                    clock), jobs);
            Set<String> served = new TreeSet<>();
            for (Route route : api.router(vertx).getRoutes()) {
                if (route.getPath() == null || route.methods() == null) {
                    continue;
                }
                String path = route.getPath().replaceAll(":(\\w+)", "{$1}");
                route.methods().forEach(m -> served.add(m.name() + " " + path));
            }
            assertThat(served).isNotEmpty();
            assertThat(documented.stream().map(o -> o.replaceAll("\\{\\w+}", "{}")).toList())
                    .containsExactlyInAnyOrderElementsOf(served.stream().map(o -> o.replaceAll("\\{\\w+}", "{}"))
                            .toList());
        } finally {
            vertx.close();
        }
    }
}
