package dev.vreg.upstream.gitlab;

import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.ArtifactRequest;
import dev.vreg.spi.ConnectionReport;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.UpstreamClient;
import dev.vreg.spi.UpstreamResponse;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The client of one GitLab upstream. Each GOPROXY request is answered from the API: {@code @v/list} from the tags,
 * {@code .info} and {@code @latest} from commits, {@code .mod} from the raw go.mod, {@code .zip} from the repository
 * archive, every answer made into a temporary file and streamed from there. Thread-safe.
 */
final class GitlabClient implements UpstreamClient {

    private final HttpClient http;
    private final Vertx vertx;
    private final GitlabApi api;
    private final ProjectLocator locator;
    private final ReadMemo memo;
    private final ConnectionProbe probe;
    private final ModuleZips zips;
    private final AtomicBoolean closed = new AtomicBoolean();

    GitlabClient(HttpClient http, Vertx vertx, GitlabApi api, ProjectLocator locator, ReadMemo memo,
                 ConnectionProbe probe) {
        this.http = http;
        this.vertx = vertx;
        this.api = api;
        this.locator = locator;
        this.memo = memo;
        this.probe = probe;
        this.zips = new ModuleZips(vertx);
    }

    @Override
    public Future<UpstreamResponse> fetch(ArtifactRequest request) {
        if (closed.get()) {
            return Future.failedFuture(new VregException(ErrorKind.UPSTREAM_UNAVAILABLE,
                    "the client of GitLab at " + api.display() + " has been closed"));
        }
        ArtifactRef ref = request.ref();
        return locator.locate(ref.name()).compose(project -> {
            ModuleRepo repo;
            try {
                repo = new ModuleRepo(new GitlabCode(api, project, memo), ref.name());
            } catch (VregException e) {
                return Future.failedFuture(e);
            }
            Revisions revisions = new Revisions(repo);
            return switch (ref.file()) {
                case "list" -> repo.versions().compose(list -> small(String.join("\n", list)
                        + (list.isEmpty() ? "" : "\n")));
                case "latest" -> revisions.latest().compose(info -> small(info.json()));
                case "info" -> revisions.stat(ref.version()).compose(info -> small(info.json()));
                case "mod" -> repo.goMod(ref.version(), revisions).compose(this::small);
                case "zip" -> zip(repo, revisions, ref.version());
                default -> Future.failedFuture(VregException.notFound("a GitLab upstream has no " + ref.file()
                        + " files"));
            };
        });
    }

    private Future<UpstreamResponse> small(String text) {
        return small(Buffer.buffer(text));
    }

    private Future<UpstreamResponse> small(Buffer content) {
        return WorkDirs.create(vertx).compose(dir -> {
            Path file = dir.resolve("answer");
            return vertx.fileSystem().writeFile(file.toString(), content)
                    .compose(v -> FileResponse.open(vertx, file, dir))
                    .onFailure(e -> WorkDirs.delete(vertx, dir));
        });
    }

    private Future<UpstreamResponse> zip(ModuleRepo repo, Revisions revisions, String version) {
        return WorkDirs.create(vertx).compose(dir -> {
            Path zip = dir.resolve("module.zip");
            return zips.write(repo, revisions, version, dir, zip)
                    .compose(v -> vertx.fileSystem().delete(dir.resolve("archive.zip").toString()))
                    .compose(v -> FileResponse.open(vertx, zip, dir))
                    .onFailure(e -> WorkDirs.delete(vertx, dir));
        });
    }

    @Override
    public Future<ConnectionReport> testConnection() {
        if (closed.get()) {
            return Future.succeededFuture(new ConnectionReport(false, false, false, -1,
                    "The client of GitLab at " + api.display() + " has been closed."));
        }
        return probe.run();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            http.close();
        }
    }
}
