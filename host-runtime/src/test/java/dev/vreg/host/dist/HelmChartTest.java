package dev.vreg.host.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Helm chart under deploy/helm/vreg, linted and rendered by the real helm with the value sets an operator uses,
 * the rendered manifests read back as YAML: N replicas, the database, bucket and encryption credentials from Secrets,
 * probes on /healthz and /readyz at the HTTP port, a non-root pod, a ServiceMonitor when asked for, and only
 * settings vreg reads.
 */
class HelmChartTest {

    static final Path ROOT = Path.of(System.getProperty("maven.multiModuleProjectDirectory", "..")).toAbsolutePath()
            .normalize();
    static final Path CHART = ROOT.resolve("deploy/helm/vreg");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    static Path temp;

    static Helm helm;

    @BeforeAll
    static void findHelm() throws Exception {
        helm = Helm.locate(Files.createDirectories(temp.resolve("helm-home")));
    }

    @Test
    void helmLintsTheChartStrictly() throws Exception {
        assertThat(helm.run("lint", "--strict", CHART.toString()).assertSuccess())
                .contains("1 chart(s) linted, 0 chart(s) failed");
        assertThat(helm.run("lint", "--strict", CHART.toString(), "-f", values("lint.yaml", """
                replicaCount: 1
                storage:
                  existingSecret: ""
                serviceMonitor:
                  enabled: false
                """).toString()).assertSuccess()).contains("0 chart(s) failed");
    }

    @Test
    void theDefaultsRenderThreeNodesOnTheExternalDatabaseAndTheBucket() throws Exception {
        Manifests manifests = render();
        assertThat(manifests.kinds()).containsExactlyInAnyOrder("Deployment", "Service", "ServiceMonitor");
        JsonNode deployment = manifests.one("Deployment");
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(3);
        JsonNode pod = deployment.at("/spec/template");
        assertThat(labels(pod.at("/metadata/labels"))).containsAllEntriesOf(labels(deployment.at(
                "/spec/selector/matchLabels")));

        JsonNode container = onlyContainer(pod);
        Map<String, JsonNode> env = env(container);
        assertThat(env.get("VREG_DATABASE_URL").path("value").asText())
                .isEqualTo("postgresql://postgres.internal:5432/vreg");
        assertThat(env.get("VREG_STORAGE_TYPE").path("value").asText()).isEqualTo("s3");
        assertThat(env.get("VREG_S3_BUCKET").path("value").asText()).isEqualTo("vreg-cache");
        assertThat(env).doesNotContainKeys("VREG_S3_PREFIX", "VREG_S3_ENDPOINT", "VREG_PUBLIC_URL");
        assertSecret(env, "VREG_DATABASE_USER", "vreg-database", "username");
        assertSecret(env, "VREG_DATABASE_PASSWORD", "vreg-database", "password");
        assertSecret(env, "VREG_S3_ACCESS_KEY_ID", "vreg-bucket", "access-key-id");
        assertSecret(env, "VREG_S3_SECRET_ACCESS_KEY", "vreg-bucket", "secret-access-key");
        assertSecret(env, "VREG_ENCRYPTION_KEY", "vreg-encryption", "encryption-key");

        // The probes ask the port vreg listens on, by the name the container gives it.
        assertThat(env.get("VREG_HTTP_HOST").path("value").asText()).isEqualTo("0.0.0.0");
        int port = env.get("VREG_HTTP_PORT").path("value").asInt();
        JsonNode http = named(container.path("ports"), "http");
        assertThat(http.path("containerPort").asInt()).isEqualTo(port);
        assertProbe(container, "startupProbe", "/healthz");
        assertProbe(container, "livenessProbe", "/healthz");
        assertProbe(container, "readinessProbe", "/readyz");

        JsonNode podSecurity = pod.at("/spec/securityContext");
        assertThat(podSecurity.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(podSecurity.path("runAsUser").asInt()).isPositive();
        assertThat(podSecurity.at("/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
        JsonNode containerSecurity = container.path("securityContext");
        assertThat(containerSecurity.path("allowPrivilegeEscalation").isBoolean()).isTrue();
        assertThat(containerSecurity.path("allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(containerSecurity.at("/capabilities/drop").toString()).isEqualTo("[\"ALL\"]");
        // The data directory is writable for the non-root user: an emptyDir mounted where VREG_DATA_DIR points.
        String dataDir = env.get("VREG_DATA_DIR").path("value").asText();
        String volume = mountedAt(container, dataDir);
        assertThat(named(pod.at("/spec/volumes"), volume).has("emptyDir")).isTrue();

        JsonNode service = manifests.one("Service");
        assertThat(labels(pod.at("/metadata/labels"))).containsAllEntriesOf(labels(service.at("/spec/selector")));
        JsonNode servicePort = named(service.at("/spec/ports"), "http");
        assertThat(servicePort.path("targetPort").asText()).isEqualTo("http");

        JsonNode monitor = manifests.one("ServiceMonitor");
        assertThat(monitor.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(labels(service.at("/metadata/labels"))).containsAllEntriesOf(labels(monitor.at(
                "/spec/selector/matchLabels")));
        JsonNode endpoint = monitor.at("/spec/endpoints").get(0);
        assertThat(monitor.at("/spec/endpoints").size()).isEqualTo(1);
        assertThat(endpoint.path("port").asText()).isEqualTo(servicePort.path("name").asText());
        assertThat(endpoint.path("path").asText()).isEqualTo("/metrics");
        assertThat(endpoint.path("interval").asText()).isEqualTo("30s");
    }

    @Test
    void replicasSecretsAndTheServiceMonitorFollowTheValues() throws Exception {
        Manifests manifests = render("-f", values("operator.yaml", """
                replicaCount: 5
                publicUrl: https://vreg.example.com
                database:
                  url: postgresql://pg.prod.internal:6432/registry
                  existingSecret: pg-vreg
                  userKey: user
                  passwordKey: pass
                storage:
                  bucket: go-modules
                  prefix: prod/
                  endpoint: https://minio.internal:9000
                  pathStyle: true
                  existingSecret: minio-vreg
                  accessKeyIdKey: AWS_ACCESS_KEY_ID
                  secretAccessKeyKey: AWS_SECRET_ACCESS_KEY
                encryption:
                  existingSecret: vreg-keys
                  key: upstreams
                extraEnv:
                  - name: VREG_S3_PRESIGNED_REDIRECTS
                    value: "true"
                serviceMonitor:
                  interval: 15s
                  labels:
                    release: kube-prometheus
                """).toString());
        JsonNode deployment = manifests.one("Deployment");
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(5);
        Map<String, JsonNode> env = env(onlyContainer(deployment.at("/spec/template")));
        assertThat(env.get("VREG_DATABASE_URL").path("value").asText())
                .isEqualTo("postgresql://pg.prod.internal:6432/registry");
        assertSecret(env, "VREG_DATABASE_USER", "pg-vreg", "user");
        assertSecret(env, "VREG_DATABASE_PASSWORD", "pg-vreg", "pass");
        assertSecret(env, "VREG_S3_ACCESS_KEY_ID", "minio-vreg", "AWS_ACCESS_KEY_ID");
        assertSecret(env, "VREG_S3_SECRET_ACCESS_KEY", "minio-vreg", "AWS_SECRET_ACCESS_KEY");
        assertSecret(env, "VREG_ENCRYPTION_KEY", "vreg-keys", "upstreams");
        assertThat(env.get("VREG_S3_BUCKET").path("value").asText()).isEqualTo("go-modules");
        assertThat(env.get("VREG_S3_PREFIX").path("value").asText()).isEqualTo("prod/");
        assertThat(env.get("VREG_S3_ENDPOINT").path("value").asText()).isEqualTo("https://minio.internal:9000");
        assertThat(env.get("VREG_S3_PATH_STYLE").path("value").asText()).isEqualTo("true");
        assertThat(env.get("VREG_PUBLIC_URL").path("value").asText()).isEqualTo("https://vreg.example.com");
        assertThat(env.get("VREG_S3_PRESIGNED_REDIRECTS").path("value").asText()).isEqualTo("true");

        JsonNode monitor = manifests.one("ServiceMonitor");
        assertThat(monitor.at("/metadata/labels/release").asText()).isEqualTo("kube-prometheus");
        assertThat(monitor.at("/spec/endpoints/0/interval").asText()).isEqualTo("15s");
    }

    @Test
    void thePodsOwnCloudCredentialsAndNoServiceMonitor() throws Exception {
        Manifests manifests = render("--set", "replicaCount=2", "--set", "storage.existingSecret=",
                "--set", "serviceMonitor.enabled=false");
        assertThat(manifests.kinds()).containsExactlyInAnyOrder("Deployment", "Service");
        JsonNode deployment = manifests.one("Deployment");
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
        Map<String, JsonNode> env = env(onlyContainer(deployment.at("/spec/template")));
        assertThat(env).doesNotContainKeys("VREG_S3_ACCESS_KEY_ID", "VREG_S3_SECRET_ACCESS_KEY")
                .containsKeys("VREG_S3_BUCKET", "VREG_DATABASE_PASSWORD", "VREG_ENCRYPTION_KEY");
    }

    @Test
    void theInstallCommandOfTheOperationsPageRenders() throws Exception {
        String page = Files.readString(ROOT.resolve("docs/operations.md"));
        Matcher install = Pattern.compile("helm install vreg deploy/helm/vreg((?:[^\\n]*\\\\\\n)*[^\\n]*)")
                .matcher(page);
        assertThat(install.find()).as("docs/operations.md shows helm install").isTrue();
        List<String> args = new ArrayList<>();
        for (String word : install.group(1).replace("\\\n", " ").trim().split("\\s+")) {
            args.add(word);
        }
        assertThat(args).contains("--set");
        JsonNode deployment = render(args.toArray(String[]::new)).one("Deployment");
        JsonNode container = onlyContainer(deployment.at("/spec/template"));
        assertThat(container.path("image").asText()).startsWith("registry.example.com/vreg:");
        assertThat(env(container).get("VREG_DATABASE_URL").path("value").asText())
                .isEqualTo("postgresql://db.internal:5432/vreg");
    }

    /** The chart runs the image this build tags, vreg:<version>, unless an operator names another tag. */
    @Test
    void theImageIsTheOneThisBuildTags() throws Exception {
        String version = System.getProperty("vreg.version");
        assertThat(version).as("the build passes its version").isNotBlank();
        assertThat(YAML.readTree(CHART.resolve("Chart.yaml").toFile()).path("appVersion").asText())
                .isEqualTo(version);
        assertThat(onlyContainer(render().one("Deployment").at("/spec/template")).path("image").asText())
                .isEqualTo("vreg:" + version);
        assertThat(onlyContainer(render("--set", "image.tag=1.2.3").one("Deployment").at("/spec/template"))
                .path("image").asText()).isEqualTo("vreg:1.2.3");
    }

    /** verify-full needs the authorities the database's certificate is checked against, mounted read-only. */
    @Test
    void theDatabaseAuthoritiesAreMountedForVerifyFull() throws Exception {
        for (String kind : List.of("Secret", "ConfigMap")) {
            JsonNode pod = render("--set", "database.sslMode=verify-full", "--set",
                    "database.sslRootCert.existingSecret=pg-ca", "--set", "database.sslRootCert.kind=" + kind,
                    "--set", "database.sslRootCert.key=root.pem").one("Deployment").at("/spec/template");
            JsonNode container = onlyContainer(pod);
            Map<String, JsonNode> env = env(container);
            assertThat(env.get("VREG_DATABASE_SSL_MODE").path("value").asText()).isEqualTo("verify-full");
            Path file = Path.of(env.get("VREG_DATABASE_SSL_ROOT_CERT").path("value").asText());
            String volume = mountedAt(container, file.getParent().toString());
            assertThat(named(container.path("volumeMounts"), volume).path("readOnly").asBoolean()).isTrue();
            JsonNode source = named(pod.at("/spec/volumes"), volume);
            JsonNode items = kind.equals("Secret") ? source.at("/secret/items") : source.at("/configMap/items");
            assertThat(kind.equals("Secret") ? source.at("/secret/secretName").asText()
                    : source.at("/configMap/name").asText()).isEqualTo("pg-ca");
            assertThat(items.get(0).path("key").asText()).isEqualTo("root.pem");
            assertThat(items.get(0).path("path").asText()).isEqualTo(file.getFileName().toString());
        }
        Map<String, JsonNode> plain = env(onlyContainer(render().one("Deployment").at("/spec/template")));
        assertThat(plain).doesNotContainKey("VREG_DATABASE_SSL_ROOT_CERT");

        Helm.Result without = helm.run("template", "vreg", CHART.toString(), "--set", "database.sslMode=verify-full");
        assertThat(without.status()).isNotZero();
        assertThat(without.output()).contains("verify-full needs database.sslRootCert.existingSecret");
    }

    @Test
    void withoutADatabaseUrlNothingRenders() throws Exception {
        Helm.Result result = helm.run("template", "vreg", CHART.toString(), "--set", "database.url=");
        assertThat(result.status()).isNotZero();
        assertThat(result.output()).contains("database.url is required");
    }

    /** Every setting the chart passes is one the README's configuration table documents (and vreg reads). */
    @Test
    void everySettingTheChartPassesIsADocumentedOne() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Map<String, JsonNode> env = env(onlyContainer(render("--set", "publicUrl=https://vreg.example.com",
                "--set", "storage.prefix=p/", "--set", "storage.endpoint=https://s3.internal")
                .one("Deployment").at("/spec/template")));
        assertThat(env.keySet()).hasSizeGreaterThan(15).allSatisfy(name -> {
            if (name.startsWith("VREG_")) {
                assertThat(readme).as(name + " is a documented setting").containsPattern("\\b" + name + "\\b");
            } else {
                assertThat(name).isEqualTo("JAVA_OPTS");
            }
        });
    }

    /** helm renders a value values.yaml lacks as nothing, even with lint --strict: every one must be defined. */
    @Test
    void everyValueATemplateRefersToIsDefined() throws Exception {
        JsonNode values = YAML.readTree(CHART.resolve("values.yaml").toFile());
        Set<String> referenced = new LinkedHashSet<>();
        try (Stream<Path> files = Files.list(CHART.resolve("templates"))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Matcher references = Pattern.compile("\\.Values((?:\\.[A-Za-z0-9]+)+)").matcher(Files.readString(file));
                while (references.find()) {
                    referenced.add(references.group(1));
                }
            }
        }
        assertThat(referenced).hasSizeGreaterThan(20).allSatisfy(path -> assertThat(values.at(path.replace('.', '/'))
                .isMissingNode()).as("values.yaml defines " + path).isFalse());
    }

    static Manifests render(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("template", "vreg", CHART.toString()));
        command.addAll(List.of(args));
        String output = helm.run(command.toArray(String[]::new)).assertSuccess();
        List<JsonNode> documents = new ArrayList<>();
        try (var parser = YAML.createParser(output)) {
            for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
                JsonNode document = it.next();
                if (document != null && document.isObject()) {
                    documents.add(document);
                }
            }
        }
        return new Manifests(documents);
    }

    static Path values(String name, String yaml) throws Exception {
        return Files.writeString(temp.resolve(name), yaml);
    }

    record Manifests(List<JsonNode> documents) {

        List<String> kinds() {
            return documents.stream().map(document -> document.path("kind").asText()).toList();
        }

        JsonNode one(String kind) {
            List<JsonNode> found = documents.stream().filter(document -> kind.equals(document.path("kind").asText()))
                    .toList();
            assertThat(found).as("one " + kind).hasSize(1);
            return found.get(0);
        }
    }

    static JsonNode onlyContainer(JsonNode podTemplate) {
        JsonNode containers = podTemplate.at("/spec/containers");
        assertThat(containers.size()).as("containers").isEqualTo(1);
        return containers.get(0);
    }

    static Map<String, JsonNode> env(JsonNode container) {
        Map<String, JsonNode> env = new LinkedHashMap<>();
        for (JsonNode variable : container.path("env")) {
            assertThat(env.put(variable.path("name").asText(), variable)).as("one " + variable.path("name"))
                    .isNull();
        }
        return env;
    }

    static void assertSecret(Map<String, JsonNode> env, String name, String secret, String key) {
        assertThat(env).containsKey(name);
        JsonNode variable = env.get(name);
        assertThat(variable.has("value")).as(name + " has no literal value").isFalse();
        assertThat(variable.at("/valueFrom/secretKeyRef/name").asText()).as(name + "'s Secret").isEqualTo(secret);
        assertThat(variable.at("/valueFrom/secretKeyRef/key").asText()).as(name + "'s key").isEqualTo(key);
    }

    static void assertProbe(JsonNode container, String probe, String path) {
        JsonNode get = container.path(probe).path("httpGet");
        assertThat(get.path("path").asText()).as(probe).isEqualTo(path);
        assertThat(get.path("port").asText()).as(probe + " port").isEqualTo("http");
    }

    static JsonNode named(JsonNode list, String name) {
        for (JsonNode item : list) {
            if (name.equals(item.path("name").asText())) {
                return item;
            }
        }
        throw new AssertionError("no entry named " + name + " in " + list);
    }

    static String mountedAt(JsonNode container, String path) {
        for (JsonNode mount : container.path("volumeMounts")) {
            if (path.equals(mount.path("mountPath").asText())) {
                return mount.path("name").asText();
            }
        }
        throw new AssertionError("nothing is mounted at " + path);
    }

    static Map<String, String> labels(JsonNode labels) {
        Map<String, String> map = new LinkedHashMap<>();
        labels.fields().forEachRemaining(entry -> map.put(entry.getKey(), entry.getValue().asText()));
        assertThat(map).isNotEmpty();
        return map;
    }
}
