package dev.vreg.upstream.artifactory;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.notMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.common.Slf4jNotifier;
import com.github.tomakehurst.wiremock.core.Options;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.matching.UrlPathPattern;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.Credentials;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.upstream.ConformanceArtifacts;
import dev.vreg.testkit.upstream.FixtureFailure;
import dev.vreg.testkit.upstream.GeneratedBody;
import dev.vreg.testkit.upstream.ModuleSource;
import dev.vreg.testkit.upstream.UpstreamFixture;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Artifactory, played by WireMock with the shapes of its documented REST API: the Go API of one repository under
 * {@code /artifactory/api/go/<key>/}, System Health Ping ({@code GET /artifactory/api/system/ping}, {@code OK} as
 * text/plain), Repository Configuration ({@code GET /artifactory/api/repositories/<key>}, the partial configuration
 * a user who is not an admin sees), and errors as Artifactory writes them:
 * {@code {"errors":[{"status":404,"message":"..."}]}}, 401 with {@code WWW-Authenticate: Basic realm="Artifactory
 * Realm"}. Paths are matched in both the percent-encoded and the literal form of {@code !}.
 */
final class ArtifactoryFixture implements UpstreamFixture, ModuleSource {

    /** The key of the Go repository the fixture serves. */
    static final String REPOSITORY = "go-virtual";
    /** The key of a repository of another package type. */
    static final String MAVEN_REPOSITORY = "libs-release-local";

    private static final int AUTH = 1;
    private static final int FAULT = 3;
    private static final int REVALIDATE = 5;
    private static final int SERVE = 6;
    private static final int API = 8;
    private static final int NOT_FOUND = 10;

    private final WireMockServer server;
    private final Path files;
    private int generated;
    private StubMapping everything;

    private ArtifactoryFixture(WireMockServer server, Path files) {
        this.server = server;
        this.files = files;
    }

    static ArtifactoryFixture start() {
        try {
            Path root = Files.createTempDirectory("artifactory-fixture");
            Files.createDirectories(root.resolve("__files"));
            WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort()
                    .usingFilesUnderDirectory(root.toString())
                    .useChunkedTransferEncoding(Options.ChunkedEncodingPolicy.NEVER)
                    .notifier(new Slf4jNotifier(false))
                    // Bodies are logged only in part, so a large one is never held by the request journal.
                    .maxLoggedResponseSize(1024)
                    .containerThreads(64));
            server.start();
            ArtifactoryFixture fixture = new ArtifactoryFixture(server, root);
            fixture.reset();
            fixture.warmUp();
            return fixture;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // WireMock's first answer takes longer than the suite's read timeout while it loads its classes.
    private void warmUp() throws IOException {
        java.net.HttpURLConnection c = (java.net.HttpURLConnection) URI.create(baseUrl()
                + "/artifactory/api/system/ping").toURL().openConnection();
        c.getInputStream().readAllBytes();
        c.disconnect();
        server.resetRequests();
    }

    /** The Artifactory address a user configures: the platform's, without {@code /artifactory}. */
    @Override
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    @Override
    public void serve(ArtifactRef ref, byte[] body, String etag) {
        if (etag != null) {
            server.stubFor(get(goPath(ref.path())).atPriority(REVALIDATE).withHeader("If-None-Match", equalTo(etag))
                    .willReturn(aResponse().withStatus(304).withHeader("ETag", etag)));
        }
        ResponseDefinitionBuilder answer = aResponse().withStatus(200).withHeader("Content-Type", contentType(ref))
                .withBody(body);
        if (etag != null) {
            answer.withHeader("ETag", etag);
        }
        server.stubFor(get(goPath(ref.path())).atPriority(SERVE).willReturn(answer));
    }

    @Override
    public void serveGenerated(ArtifactRef ref, long length) {
        String name = "generated-" + (++generated) + ".bin";
        writeGenerated(files.resolve("__files").resolve(name), length);
        server.stubFor(get(goPath(ref.path())).atPriority(SERVE).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/zip").withHeader("Content-Length", Long.toString(length))
                .withBodyFile(name)));
    }

    @Override
    public void fail(ArtifactRef ref, FixtureFailure failure) {
        ResponseDefinitionBuilder answer = switch (failure) {
            case NOT_FOUND -> error(404, "Not Found");
            case GONE -> error(410, "Gone");
            case SERVER_ERROR -> error(500, "Internal Server Error");
            case UNAUTHORIZED -> unauthorized();
            case FORBIDDEN -> error(403, "Forbidden");
            case RESET_MID_BODY -> aResponse().withStatus(200).withFault(Fault.MALFORMED_RESPONSE_CHUNK);
            case STALL_BEFORE_HEADERS -> aResponse().withStatus(200).withBody("late").withFixedDelay(8_000);
            case STALL_MID_BODY -> body(FixtureFailure.PARTIAL_BODY_BYTES * 2).withChunkedDribbleDelay(2, 16_000);
            // WireMock dribbles a body in equal chunks: 1500 of them over 30 s stay below any sane rate.
            case TRICKLE_BODY -> body(FixtureFailure.PARTIAL_BODY_BYTES * 4).withChunkedDribbleDelay(1500,
                    (int) (1500 * FixtureFailure.TRICKLE_PACE.toMillis()));
            // Longer than any transfer deadline of the suite; WireMock has to hold a body, so it is not endless.
            case ENDLESS_BODY -> body(FixtureFailure.ENDLESS_CHUNK_BYTES * 400).withChunkedDribbleDelay(400,
                    (int) (400 * FixtureFailure.ENDLESS_PACE.toMillis()));
        };
        server.stubFor(get(goPath(ref.path())).atPriority(FAULT).willReturn(answer));
    }

    @Override
    public void requireCredentials(Credentials credentials) {
        String expected = authorization(credentials);
        server.stubFor(any(anyUrl()).atPriority(AUTH).withHeader("Authorization", absent())
                .willReturn(unauthorized()));
        server.stubFor(any(anyUrl()).atPriority(AUTH)
                .withHeader("Authorization", notMatching(Pattern.quote(expected)))
                .willReturn(unauthorized()));
    }

    @Override
    public List<String> receivedTargets() {
        List<ServeEvent> events = new ArrayList<>(server.getAllServeEvents());
        events.sort(Comparator.comparing(e -> e.getRequest().getLoggedDate()));
        return events.stream().map(e -> e.getRequest().getUrl()).toList();
    }

    @Override
    public ArtifactoryFixture publish(GoModule... versions) {
        StringBuilder list = new StringBuilder();
        for (GoModule module : versions) {
            serve(ref(module.infoPath()), module.infoJson().getBytes(StandardCharsets.UTF_8), null);
            serve(ref(module.modPath()), module.modBytes(), null);
            Path zip = files.resolve("__files").resolve("zip-" + (++generated) + ".zip");
            module.writeZip(zip);
            server.stubFor(get(goPath(module.zipPath())).atPriority(SERVE).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/zip").withBodyFile(zip.getFileName().toString())));
            list.append(module.version()).append('\n');
        }
        server.stubFor(get(goPath(versions[0].listPath())).atPriority(SERVE).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/plain").withBody(list.toString())));
        return this;
    }

    @Override
    public void answerEverythingWith(int status) {
        if (everything != null) {
            server.removeStub(everything);
            everything = null;
        }
        if (status != 0) {
            everything = server.stubFor(any(anyUrl()).atPriority(FAULT).willReturn(error(status, "Error")));
        }
    }

    /** Answers the repository configuration of {@code key} as a repository of {@code packageType}. */
    void repository(String key, String packageType, String rclass) {
        server.stubFor(get(urlPathMatching(Pattern.quote("/artifactory/api/repositories/" + key))).atPriority(API)
                .willReturn(aResponse().withStatus(200)
                        .withHeader("Content-Type", "application/vnd.org.jfrog.artifactory.repositories."
                                + (rclass.equals("virtual") ? "Virtual" : rclass.equals("remote") ? "Remote" : "Local")
                                + "RepositoryConfiguration+json")
                        .withBody("{\"key\":\"" + key + "\",\"packageType\":\"" + packageType + "\",\"description\":"
                                + "\"\",\"notes\":\"\",\"includesPattern\":\"**/*\",\"excludesPattern\":\"\","
                                + "\"repoLayoutRef\":\"go-default\",\"rclass\":\"" + rclass + "\"}")));
    }

    /** Answers {@code path} below the platform's address with {@code status} and Artifactory's error body. */
    void answer(String path, int status) {
        server.stubFor(get(urlPathMatching(Pattern.quote(path))).atPriority(API).willReturn(error(status, "Error")));
    }

    @Override
    public void reset() {
        server.resetAll();
        everything = null;
        server.stubFor(get(urlPathMatching(Pattern.quote("/artifactory/api/system/ping"))).atPriority(API)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/plain").withBody("OK")));
        repository(REPOSITORY, "go", "virtual");
        repository(MAVEN_REPOSITORY, "maven", "local");
        server.stubFor(get(urlPathMatching(Pattern.quote("/artifactory/api/repositories/") + ".*"))
                .atPriority(NOT_FOUND).willReturn(error(400, "Bad Request")));
        server.stubFor(any(anyUrl()).atPriority(NOT_FOUND).willReturn(error(404, "Not Found")));
    }

    @Override
    public void close() {
        server.stop();
        try (Stream<Path> walk = Files.walk(files)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary directory left behind is harmless.
        }
    }

    private static ArtifactRef ref(String path) {
        return ConformanceArtifacts.ref(path.startsWith("/") ? path.substring(1) : path);
    }

    /** The Go API path of {@code path}, matching a literal {@code !} and its percent-encoded form alike. */
    private static UrlPathPattern goPath(String path) {
        String relative = path.startsWith("/") ? path.substring(1) : path;
        String pieces = Arrays.stream(relative.split("!", -1)).map(p -> p.isEmpty() ? "" : Pattern.quote(p))
                .collect(Collectors.joining("(?:!|%21)"));
        return urlPathMatching(Pattern.quote("/artifactory/api/go/" + REPOSITORY + "/") + pieces);
    }

    private static ResponseDefinitionBuilder error(int status, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody("{\n  \"errors\" : [ {\n    \"status\" : " + status + ",\n    \"message\" : \"" + message
                        + "\"\n  } ]\n}");
    }

    private static ResponseDefinitionBuilder unauthorized() {
        return error(401, "Bad credentials").withHeader("WWW-Authenticate", "Basic realm=\"Artifactory Realm\"");
    }

    private static ResponseDefinitionBuilder body(int length) {
        byte[] bytes = new byte[length];
        GeneratedBody.fill(0, bytes, 0, length);
        return aResponse().withStatus(200).withHeader("Content-Type", "application/zip").withBody(bytes);
    }

    private static String contentType(ArtifactRef ref) {
        return switch (Objects.requireNonNullElse(ref.file(), "")) {
            case "zip" -> "application/zip";
            case "info", "latest" -> "application/json";
            default -> "text/plain";
        };
    }

    static String authorization(Credentials credentials) {
        if (credentials.hasToken()) {
            return "Bearer " + credentials.token();
        }
        String pair = Objects.requireNonNullElse(credentials.username(), "") + ":" + credentials.password();
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeGenerated(Path file, long length) {
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long offset = 0; offset < length; offset += chunk.length) {
                int n = (int) Math.min(chunk.length, length - offset);
                GeneratedBody.fill(offset, chunk, 0, n);
                out.write(chunk, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
