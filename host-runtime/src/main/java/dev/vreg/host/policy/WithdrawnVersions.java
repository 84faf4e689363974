package dev.vreg.host.policy;

import dev.vreg.host.registry.Registry;
import dev.vreg.host.registry.RegistryDirectory;
import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.FormatPlugin;
import dev.vreg.spi.VregException;
import dev.vreg.spi.Withdrawals;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * The versions of a name its publisher withdrew (Go: retracted by the go.mod of the module's latest version), for the
 * filter rules that ask about them. The format says which files tell and reads them; the registry serves them from
 * its cache or its upstreams, past its own filter rules: the go.mod of a latest version the rules refuse still says
 * what it retracts.
 */
public final class WithdrawnVersions {

    /** Reads one artifact of a registry as the registry serves it, without its filter rules. */
    @FunctionalInterface
    public interface Reader {
        Future<Buffer> read(Registry registry, FormatPlugin format, ArtifactRef ref);
    }

    /** Knows of no withdrawal. */
    public static final WithdrawnVersions NONE = new WithdrawnVersions(null, null);

    private final Reader reader;
    private final RegistryDirectory registries;

    public WithdrawnVersions(Reader reader, RegistryDirectory registries) {
        this.reader = reader;
        this.registries = registries;
    }

    /** The withdrawn versions of {@code name} as {@code registry} serves it. */
    public Future<Withdrawals> of(Registry registry, FormatPlugin format, String name) {
        if (reader == null) {
            return Future.succeededFuture(Withdrawals.NONE);
        }
        return format.withdrawals(name, ref -> reader.read(registry, format, ref));
    }

    /** The same for the registry {@code registry} of {@code group}, by their names. */
    public Future<Withdrawals> of(String group, String registry, FormatPlugin format, String name) {
        if (reader == null) {
            return Future.succeededFuture(Withdrawals.NONE);
        }
        return registries.find(group, registry).compose(found -> found.isPresent()
                ? of(found.get(), format, name)
                : Future.failedFuture(VregException.notFound("registry " + group + "/" + registry + " not found")));
    }
}
