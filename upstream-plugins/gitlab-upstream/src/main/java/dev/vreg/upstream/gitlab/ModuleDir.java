package dev.vreg.upstream.gitlab;

import io.vertx.core.buffer.Buffer;

/**
 * Where a module version lives in its repository.
 *
 * @param commit the full commit hash of the version
 * @param dir    the module's directory relative to the repository root, empty for the root
 * @param goMod  its go.mod, or null when the version has none (a legacy root module)
 */
record ModuleDir(String commit, String dir, Buffer goMod) {
}
