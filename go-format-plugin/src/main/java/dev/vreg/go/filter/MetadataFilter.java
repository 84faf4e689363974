package dev.vreg.go.filter;

import dev.vreg.spi.VregException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.function.Function;

/**
 * Applies a registry's filter rules to the Go metadata bodies: {@code @v/list} leaves out refused versions, so
 * {@code go list -m -versions} never shows them and {@code go get mod@latest} picks the highest admitted one; an
 * {@code @latest} or query {@code .info} answering with a refused version is refused as a whole with its reason,
 * rather than answered as "not found", which would let {@code GOPROXY=vreg,direct} go around the rule.
 */
public final class MetadataFilter {

    private MetadataFilter() {
    }

    public static Buffer list(Buffer body, Function<String, Optional<String>> refusal) {
        StringBuilder kept = new StringBuilder();
        for (String line : body.toString().split("\n")) {
            String version = line.strip();
            if (!version.isEmpty() && refusal.apply(version).isEmpty()) {
                kept.append(version).append('\n');
            }
        }
        return Buffer.buffer(kept.toString());
    }

    /** An info body ({@code @latest}, a query) unchanged, or the refusal of the version it names. */
    public static Buffer info(Buffer body, Function<String, Optional<String>> refusal) {
        String version;
        try {
            version = new JsonObject(body).getString("Version");
        } catch (DecodeException | ClassCastException e) {
            return body;
        }
        if (version == null) {
            return body;
        }
        Optional<String> refused = refusal.apply(version);
        if (refused.isPresent()) {
            throw VregException.forbidden(refused.get());
        }
        return body;
    }
}
