package dev.vreg.host.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart under deploy/helm/vreg, checked without a helm binary: its metadata and values parse, every value a
 * template refers to is defined, the probes are /healthz and /readyz on the HTTP port, the database, bucket and
 * encryption secrets come from Secrets, every setting it passes is one vreg reads, and it carries a ServiceMonitor.
 */
class HelmChartTest {

    static final Path ROOT = Path.of(System.getProperty("maven.multiModuleProjectDirectory", "..")).toAbsolutePath()
            .normalize();
    static final Path CHART = ROOT.resolve("deploy/helm/vreg");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void theChartIsCompleteAndConsistent() throws Exception {
        JsonNode chart = YAML.readTree(CHART.resolve("Chart.yaml").toFile());
        assertThat(chart.path("apiVersion").asText()).isEqualTo("v2");
        assertThat(chart.path("name").asText()).isEqualTo("vreg");
        JsonNode values = YAML.readTree(CHART.resolve("values.yaml").toFile());
        assertThat(values.path("replicaCount").asInt()).isGreaterThan(1);

        String templates = readTemplates();
        Matcher references = Pattern.compile("\\.Values((?:\\.[A-Za-z0-9]+)+)").matcher(templates);
        Set<String> referenced = new LinkedHashSet<>();
        while (references.find()) {
            referenced.add(references.group(1));
        }
        assertThat(referenced).isNotEmpty().allSatisfy(path -> assertThat(values.at(path.replace('.', '/'))
                .isMissingNode()).as("values.yaml defines " + path).isFalse());

        String deployment = Files.readString(CHART.resolve("templates/deployment.yaml"));
        assertThat(deployment).contains("replicas: {{ .Values.replicaCount }}");
        assertThat(probePath(deployment, "livenessProbe")).isEqualTo("/healthz");
        assertThat(probePath(deployment, "readinessProbe")).isEqualTo("/readyz");
        for (String secret : new String[] {"VREG_DATABASE_PASSWORD", "VREG_DATABASE_USER", "VREG_S3_SECRET_ACCESS_KEY",
            "VREG_S3_ACCESS_KEY_ID", "VREG_ENCRYPTION_KEY"}) {
            assertThat(deployment).as(secret + " from a Secret")
                    .containsPattern("- name: " + secret + "\\n\\s+valueFrom:\\n\\s+secretKeyRef:");
        }
        assertThat(deployment).contains("runAsNonRoot: true");

        // Every setting the chart passes is one the README's configuration table documents (and vreg reads).
        String readme = Files.readString(ROOT.resolve("README.md"));
        Matcher names = Pattern.compile("- name: (VREG_[A-Z0-9_]+)").matcher(deployment);
        int count = 0;
        while (names.find()) {
            count++;
            assertThat(readme).as(names.group(1) + " is a documented setting")
                    .containsPattern("\\b" + names.group(1) + "\\b");
        }
        assertThat(count).isGreaterThan(10);

        String monitor = Files.readString(CHART.resolve("templates/servicemonitor.yaml"));
        assertThat(monitor).contains("kind: ServiceMonitor").contains("path: /metrics").contains("port: http");
        assertThat(Files.readString(CHART.resolve("templates/service.yaml"))).contains("targetPort: http");
    }

    static String probePath(String deployment, String probe) {
        Matcher m = Pattern.compile(probe + ":\\n\\s+httpGet:\\n\\s+path: (\\S+)\\n\\s+port: http").matcher(deployment);
        assertThat(m.find()).as(probe).isTrue();
        return m.group(1);
    }

    static String readTemplates() throws Exception {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(CHART.resolve("templates"))) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                all.append(Files.readString(file)).append('\n');
            }
        }
        return all.toString();
    }
}
