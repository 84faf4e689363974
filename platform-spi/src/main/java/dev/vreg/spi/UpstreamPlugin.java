package dev.vreg.spi;

import java.util.Set;
import org.pf4j.ExtensionPoint;

/**
 * One kind of upstream source (a GOPROXY server, Athens, Artifactory, GitLab, ...). Implementations are stateless;
 * all per-upstream state lives in the {@link UpstreamClient}s they open.
 */
public interface UpstreamPlugin extends ExtensionPoint {

    /** The kind id used in configuration (e.g. {@code goproxy}). Lower case, unique across loaded plugins. */
    String kind();

    /** The format ids this kind can serve (e.g. {@code go}). */
    Set<String> formats();

    /**
     * A JSON Schema (draft 2020-12) describing {@link UpstreamConfig#settings()}, as a JSON document. The host
     * validates configurations against it before calling {@link #open}.
     */
    String settingsSchema();

    /**
     * Opens a client for one configured upstream. Must not perform I/O; connection problems surface from the
     * client's methods.
     *
     * @throws VregException of kind {@link ErrorKind#INVALID} when the configuration cannot work (bad URL scheme...)
     */
    UpstreamClient open(UpstreamConfig config, PluginContext context);
}
