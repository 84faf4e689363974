package dev.vreg.host.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vreg.host.VregServer;
import dev.vreg.host.api.ApiClient;
import dev.vreg.host.config.ConfigLoader;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.support.TestVreg;
import dev.vreg.spi.Credentials;
import dev.vreg.testkit.docs.DocRun;
import dev.vreg.testkit.docs.DocRunner;
import dev.vreg.testkit.docs.RunnableDoc;
import dev.vreg.testkit.gitlab.GitLabStandIn;
import dev.vreg.testkit.gitlab.GitRepository;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.GoTool;
import dev.vreg.testkit.go.GoproxyFixture;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every runnable example of the README and the user documentation (the {@link DocPage}s naming this class), run as
 * written against a throwaway vreg on its embedded default: the addresses a reader has
 * ({@code http://127.0.0.1:8080}, {@code https://vreg.example.com}, proxy.golang.org, a company proxy) are rewritten
 * to this vreg and to fixture upstreams, and the go command downloads real module zips through it. The CI jobs of docs/ci.md are run too: their variables and script steps, in a checkout of a module.
 */
@Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
class DocumentationTest {

    static final String ADMIN_TOKEN = "vreg_docs-admin-token-0123456789abcdefghijklmnopq";
    static final GoModule QUOTE = GoModule.builder("rsc.io/quote", "v1.5.2").withoutDefaultPackage()
            .file("quote.go", "// Package quote says hello.\npackage quote\n\n"
                    + "// Hello returns a greeting.\nfunc Hello() string { return \"Hello, world.\" }\n")
            .build();
    static final GoModule CORP = GoModule.builder("git.corp.example/team/lib", "v0.3.0").build();

    @TempDir
    static Path temp;

    static GoproxyFixture publicProxy;
    static GoproxyFixture corpProxy;
    static VregServer vreg;
    static ApiClient api;

    @BeforeAll
    static void start() {
        publicProxy = GoproxyFixture.start().publish(QUOTE);
        corpProxy = GoproxyFixture.start().publish(CORP);
        VregConfig config = TestVreg.config(TestVreg.newDataDir(), List.of(publicProxy.baseUrl().toString()));
        config.auth.adminToken = ADMIN_TOKEN;
        config.http.tls.generate = true;
        config.http.tls.port = TestVreg.freePort();
        vreg = TestVreg.start(config);
        api = new ApiClient(vreg.baseUrl());
    }

    @AfterAll
    static void stop() {
        try {
            if (vreg != null) {
                vreg.close();
            }
        } finally {
            if (publicProxy != null) {
                publicProxy.close();
            }
            if (corpProxy != null) {
                corpProxy.close();
            }
        }
    }

    /** A page that failed half-way must not leave its group to the next one. */
    @AfterEach
    void removeTheExamplesGroup() {
        api.delete("/api/v1/groups/acme", ADMIN_TOKEN);
    }

    static int httpsPort() {
        String base = vreg.httpsBaseUrl();
        return Integer.parseInt(base.substring(base.lastIndexOf(':') + 1));
    }

    static DocRunner runner(String name) throws Exception {
        return session(name).env("GOPROXY", "off");
    }

    /**
     * A session for a page that points the go command at vreg with {@code go env -w}, which a GOPROXY in the
     * environment would override: the session's go settings file starts with {@code GOPROXY=off} instead, so no go
     * command reaches anything before the page has set its own.
     */
    static DocRunner goEnvSession(String name) throws Exception {
        Path goenv = Files.createDirectories(temp.resolve(name + "-goenv")).resolve("env");
        Files.writeString(goenv, "GOPROXY=off\n");
        return session(name).env("GOENV", goenv.toString());
    }

    static DocRunner session(String name) throws Exception {
        return DocRunner.in(Files.createDirectories(temp.resolve(name)))
                .timeout(Duration.ofMinutes(3))
                .rewrite("http://127.0.0.1:8080", vreg.baseUrl())
                .rewrite("https://vreg.example.com", vreg.httpsBaseUrl())
                .rewrite("vreg.example.com", "127.0.0.1:" + httpsPort())
                .rewrite("https://goproxy.corp.example", corpProxy.baseUrl().toString())
                .rewrite("https://proxy.golang.org", publicProxy.baseUrl().toString())
                .env("T", ADMIN_TOKEN)
                .env("SSL_CERT_FILE", vreg.caFile().toString())
                .env("CURL_CA_BUNDLE", vreg.caFile().toString())
                .env("GOTOOLCHAIN", "local")
                .env("GOFLAGS", "-modcacherw")
                .env("GOSUMDB", "off")
                .env("GONOSUMDB", "")
                .env("GONOPROXY", "none");
    }

    static DocRun run(DocPage page) throws Exception {
        return runner(page.path().getFileName().toString()).run(page.read()).assertPassed();
    }

    @Test
    void gitlabUpstreams() throws Exception {
        String token = "glpat-docs-0123456789abcdef";
        GitRepository repository = GitRepository.init(Files.createDirectories(temp.resolve("gitlab-repo")))
                .write("go.mod", "module gitlab.example.com/platform/lib\n\ngo 1.21\n");
        repository.commit("first");
        repository.tag("v1.0.0");
        try (GitLabStandIn gitlab = GitLabStandIn.start().personalToken(token, Set.of("read_api"), "platform")) {
            gitlab.project("platform/lib", repository, false);
            runner("gitlab.md").rewrite("https://gitlab.example.com", gitlab.baseUrl().toString())
                    .rewrite("glpat-...", token)
                    .run(DocPage.GITLAB.read()).assertPassed();
        }
    }

    @Test
    void athensUpstreams() throws Exception {
        try (GoproxyFixture athens = GoproxyFixture.start().publish(CORP)) {
            athens.answer("healthz", new byte[0]).answer("readyz", new byte[0]).answer("catalog",
                    "{\"modules\":[{\"module\":\"git.corp.example/team/lib\",\"version\":\"v0.3.0\"}]}\n"
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            athens.requireCredentials(Credentials.basic("vreg", "athens-pass"));
            runner("athens.md").rewrite("https://athens.corp.example", athens.baseUrl().toString())
                    .run(DocPage.ATHENS.read()).assertPassed();
        }
    }

    @Test
    void artifactoryUpstreams() throws Exception {
        runner("artifactory.md").run(DocPage.ARTIFACTORY.read()).assertPassed();
    }

    @Test
    void gettingStarted() throws Exception {
        run(DocPage.GETTING_STARTED);
    }

    @Test
    void configuringAGoRegistry() throws Exception {
        run(DocPage.CONFIGURING_A_GO_REGISTRY);
    }

    @Test
    void upstreamsOverview() throws Exception {
        run(DocPage.UPSTREAMS);
    }

    @Test
    void pointingGoAtVreg() throws Exception {
        run(DocPage.USING_GO);
    }

    /**
     * The README's examples: go pointed at the bootstrap registry builds a checkout with the modules downloaded
     * through vreg, and the admin API walk-through makes a private registry in front of an upstream.
     */
    @Test
    void readme() throws Exception {
        Path session = Files.createDirectories(temp.resolve("README.md"));
        moduleNeedingQuote(session, "readme");
        runner("README.md").run(DocPage.README.read()).assertPassed();
        assertThat(session.resolve(".home/go/pkg/mod/rsc.io/quote@v1.5.2/quote.go"))
                .as("go build downloaded the module through the registry").isRegularFile();
        JsonObject upstreams = api.get("/api/v1/groups/acme/registries/private/upstreams", ADMIN_TOKEN).json();
        assertThat(upstreams.getJsonArray("upstreams")).singleElement()
                .satisfies(link -> assertThat(((JsonObject) link).getInteger("position")).isEqualTo(1));
    }

    @Test
    void policies() throws Exception {
        run(DocPage.POLICIES);
        ConfigLoader loader = new ConfigLoader(Map.of());
        VregConfig audit = loader.load(temp.resolve("policies.md/vreg-audit.yaml"));
        assertThat(audit.audit.retention).isEqualTo(Duration.ofDays(730));
        VregConfig webhooks = loader.load(temp.resolve("policies.md/vreg-webhooks.yaml"));
        assertThat(webhooks.audit.webhooks.attempts).isEqualTo(6);
        assertThat(webhooks.audit.webhooks.backoff).isEqualTo(Duration.ofSeconds(30));
        assertThat(webhooks.audit.webhooks.timeout).isEqualTo(Duration.ofSeconds(10));
        assertThat(webhooks.audit.webhooks.deliveryRetention).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void vendoring() throws Exception {
        run(DocPage.VENDORING);
    }

    @Test
    void migrationFromGitLabsGoProxy() throws Exception {
        goEnvSession("migration-from-go-proxy.md").env("VREG_TOKEN", ADMIN_TOKEN)
                .run(DocPage.MIGRATION_FROM_GO_PROXY.read()).assertPassed();
        assertThat(Files.readString(temp.resolve("migration-from-go-proxy.md-goenv/env")))
                .as("the switched client's go settings").contains("GOPROXY=" + vreg.httpsBaseUrl() + "/go/acme/golang")
                .contains("GONOSUMDB=gitlab.example.com/acme");
    }

    /** The configuration files the operations pages show are settings vreg accepts, meaning what the pages say. */
    @Test
    void configurationExamplesAreAcceptedAsWritten() throws Exception {
        Path ca = Files.writeString(temp.resolve("db-ca.pem"), "");
        runner("operations.md").rewrite("/etc/vreg/db-ca.pem", ca.toString())
                .run(DocPage.OPERATIONS.read()).assertPassed();
        runner("statistics.md").run(DocPage.STATISTICS.read()).assertPassed();
        ConfigLoader loader = new ConfigLoader(Map.of());

        VregConfig s3 = loader.load(temp.resolve("operations.md/vreg-s3.yaml"));
        assertThat(s3.storage.type).isEqualTo("s3");
        assertThat(s3.storage.s3.bucket).isEqualTo("vreg-cache");
        assertThat(s3.storage.s3.prefix).isEqualTo("prod/");

        VregConfig nodes = loader.load(temp.resolve("operations.md/vreg-nodes.yaml"));
        assertThat(nodes.database.url).isEqualTo("postgresql://db.internal:5432/vreg");
        assertThat(nodes.database.user).isEqualTo("vreg");
        assertThat(nodes.database.poolSize).isEqualTo(16);
        assertThat(nodes.storage.type).isEqualTo("s3");

        VregConfig statistics = loader.load(temp.resolve("statistics.md/vreg-statistics.yaml"));
        assertThat(statistics.statistics.flushInterval).isEqualTo(Duration.ofSeconds(10));
        assertThat(statistics.statistics.dailyRetention).isEqualTo(Duration.ofDays(800));
    }

    @Test
    void ciJobsBuildWithADeployTokenOverHttps() throws Exception {
        DocRun page = run(DocPage.CI);
        Path session = temp.resolve("ci.md");
        JsonObject token = api.post("/api/v1/groups/default/deploy-tokens", ADMIN_TOKEN,
                new JsonObject().put("name", "docs-ci")).json();
        String deployToken = token.getString("token");
        assertThat(page.results()).isNotEmpty();

        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        JsonNode gitlab = yaml.readTree(session.resolve(".gitlab-ci.yml").toFile());
        List<String> gitlabScript = new ArrayList<>();
        gitlab.get("build").get("before_script").forEach(line -> gitlabScript.add(line.asText()));
        gitlab.get("build").get("script").forEach(line -> gitlabScript.add(line.asText()));
        runJob("gitlab", gitlab.get("variables"), gitlabScript, deployToken);

        JsonNode github = yaml.readTree(session.resolve(".github/workflows/build.yml").toFile());
        JsonNode job = github.get("jobs").get("build");
        List<String> steps = new ArrayList<>();
        for (JsonNode step : job.get("steps")) {
            // Checking out and installing Go are the runner's part; the module and the go command are here.
            if (step.has("run")) {
                steps.add(step.get("run").asText().replace("${{ secrets.VREG_DEPLOY_TOKEN }}", "$VREG_DEPLOY_TOKEN"));
            }
        }
        runJob("github", job.get("env"), steps, deployToken);
    }

    /** Writes into {@code checkout} a main module that needs rsc.io/quote, with its go.sum, as a clone has it. */
    static Path moduleNeedingQuote(Path checkout, String name) throws Exception {
        Files.writeString(checkout.resolve("go.mod"), "module example.com/app\n\ngo 1.21\n\nrequire "
                + QUOTE.path() + " " + QUOTE.version() + "\n");
        Files.writeString(checkout.resolve("main.go"), "package main\n\nimport (\n\t\"fmt\"\n\n"
                + "\t\"rsc.io/quote\"\n)\n\nfunc main() { fmt.Println(quote.Hello()) }\n");
        GoTool tidy = GoTool.builder(Files.createDirectories(temp.resolve(name + "-tidy")))
                .proxy(vreg.baseUrl() + "/go/default/main").build();
        tidy.run(checkout, "mod", "tidy").assertSuccess();
        return checkout;
    }

    /** Runs a job's script in a checkout of a module that needs rsc.io/quote, with the job's variables. */
    static void runJob(String name, JsonNode variables, List<String> script, String deployToken) throws Exception {
        Path checkout = moduleNeedingQuote(Files.createDirectories(temp.resolve(name + "-checkout")), name);
        StringBuilder job = new StringBuilder("```sh {run}\n");
        for (Iterator<Map.Entry<String, JsonNode>> it = variables.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> variable = it.next();
            job.append("export ").append(variable.getKey()).append("=\"").append(variable.getValue().asText())
                    .append("\"\n");
        }
        script.forEach(line -> job.append(line).append('\n'));
        job.append("```\n");
        runner(name + "-job").env("CI_PROJECT_DIR", checkout.toString()).env("VREG_DEPLOY_TOKEN", deployToken)
                .run(RunnableDoc.parse(name + " job", "cd '" + checkout + "'\n\n```sh {run}\ncd '" + checkout
                        + "'\n```\n\n" + job))
                .assertPassed();
        if (name.equals("gitlab")) {
            assertThat(checkout.resolve(".go/mod/rsc.io/quote@v1.5.2/quote.go"))
                    .as("the job's module cache, kept between pipelines, is under the checkout").isRegularFile();
        }
    }
}
