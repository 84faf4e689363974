package dev.vreg.upstream.gitlab;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;

/** Temporary directories of single answers: one per fetch, removed when the answer is done with. */
final class WorkDirs {

    private WorkDirs() {
    }

    static Future<Path> create(Vertx vertx) {
        return vertx.fileSystem().createTempDirectory("vreg-gitlab-").map(Path::of);
    }

    static void delete(Vertx vertx, Path dir) {
        vertx.fileSystem().deleteRecursive(dir.toString());
    }
}
