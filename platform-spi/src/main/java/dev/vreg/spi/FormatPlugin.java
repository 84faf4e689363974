package dev.vreg.spi;

import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.pf4j.ExtensionPoint;

/**
 * A package format (Go modules, ...). The host owns routing, caching, single-flight, storage and policies; a format
 * plugin only answers the questions that depend on the format. Implementations are stateless and thread-safe.
 *
 * <p>Registries of this format are served under {@code /{id}/{group}/{registry}/}; the remainder of the request
 * path (still percent-encoded as it arrived) is passed to {@link #classify}.
 */
public interface FormatPlugin extends ExtensionPoint {

    /** The format id, lower case, used in URLs and configuration (Go: {@code go}). */
    String id();

    /**
     * Says what a request path is.
     *
     * @param rawPath the request path below the registry base, exactly as received: percent-encoded, no leading
     *                slash, no query string
     * @return the artifact the path names
     * @throws VregException of kind {@link ErrorKind#NOT_FOUND} with a short human-readable reason when the path
     *                       names nothing this format serves (malformed, bad escaping, invalid version, ...)
     */
    ArtifactRef classify(String rawPath);

    /** The Content-Type to serve the artifact with. */
    String contentType(ArtifactRef ref);

    /**
     * Merges the answers of several upstreams for one METADATA path into the body the client receives. Called on an
     * event loop: must be fast and must not block.
     *
     * @param ref   a METADATA artifact
     * @param parts the answers of every upstream that had the path, in priority order; never empty
     * @return the merged body
     * @throws VregException of kind {@link ErrorKind#NOT_FOUND} when the merged answer is "nothing usable"
     */
    Buffer merge(ArtifactRef ref, List<MetadataPart> parts);

    /**
     * Another METADATA path to consult when no upstream has {@code ref} at all, or {@code null} (the default). Go:
     * when no upstream serves {@code @latest}, the upstreams' {@code @v/list} still names pseudo-versions from which
     * the latest one can be derived, as the go command itself would do against a single proxy.
     */
    default ArtifactRef fallbackFor(ArtifactRef ref) {
        return null;
    }

    /**
     * Derives the answer for {@code ref} from the upstreams' answers for {@link #fallbackFor(ArtifactRef)}. Called
     * on an event loop; must be fast.
     *
     * @throws VregException of kind {@link ErrorKind#NOT_FOUND} when nothing usable can be derived
     */
    default Buffer mergeFallback(ArtifactRef ref, List<MetadataPart> fallbackParts) {
        throw VregException.notFound(ref.name() + ": not found in any upstream");
    }

    /**
     * Validates a complete CONTENT body before the host commits it. Runs on a worker thread and may block (it may
     * scan a large zip); it must stream and never read the whole file into memory.
     *
     * @param ref  a CONTENT artifact
     * @param file the complete body as received
     * @return facts to store with the cache entry
     * @throws VregException of kind {@link ErrorKind#UPSTREAM_INVALID} naming the rule that was broken
     */
    ContentCheck check(ArtifactRef ref, Path file);

    /**
     * A check of {@code ref}'s body that reads it while it arrives, instead of {@link #check} on the complete file,
     * or empty (the default) to have {@link #check} called. Worth it for large files: the host then never reads the
     * file again before it commits it. The checker must come to the same verdict as {@link #check}.
     *
     * @param ref a CONTENT artifact
     */
    default Optional<ContentChecker> contentChecker(ArtifactRef ref) {
        return Optional.empty();
    }

    /** The largest CONTENT body this format accepts for the artifact, in bytes. */
    long maxContentLength(ArtifactRef ref);

    /**
     * Whether an upstream configured with these module hints may be asked for {@code ref}. Hints narrow an upstream
     * to the names it serves (a company's private modules, one organisation's packages); the host asks only the
     * upstreams whose hints admit the name. Called on an event loop for every request: must be fast.
     *
     * <p>The default treats each hint as a literal prefix of {@link ArtifactRef#name()} ending at a {@code /}: the
     * hint {@code example.com/team} admits {@code example.com/team} and {@code example.com/team/lib} but not
     * {@code example.com/teamwork}; a hint that itself ends in {@code /} admits every name starting with it. Go
     * matches GOPRIVATE-style globs instead.
     *
     * @param hints the upstream's hints, each accepted by {@link #hintProblem}; an empty list admits every artifact
     * @param ref   the artifact a client asked for
     */
    default boolean matchesHints(List<String> hints, ArtifactRef ref) {
        if (hints.isEmpty()) {
            return true;
        }
        String name = ref.name();
        for (String hint : hints) {
            if (name.equals(hint) || name.startsWith(hint) && !hint.isEmpty()
                    && (hint.endsWith("/") || name.charAt(hint.length()) == '/')) {
                return true;
            }
        }
        return false;
    }

    /**
     * Why {@code hint} cannot be a module hint of this format, in a sentence naming it, or empty when it can. The host
     * refuses to store an upstream with a hint that has a problem, so a typo is reported instead of silently never
     * matching. The default accepts every hint.
     */
    default Optional<String> hintProblem(String hint) {
        return Optional.empty();
    }

    /**
     * Why {@code condition} cannot narrow a filter rule to some versions of a name, in a sentence naming the bad
     * part, or empty when it can. The default refuses every condition: the format has no version order to filter by.
     * Go: comma-separated terms that must all hold, such as {@code < v1.4.2} or {@code >= v2.0.0, < v2.3.0}, and the
     * words {@code prerelease}, {@code pseudo}, {@code incompatible} and {@code release}.
     */
    default Optional<String> versionConditionProblem(String condition) {
        return Optional.of("registries of format " + id() + " have no version conditions");
    }

    /**
     * Whether {@code version} satisfies {@code condition}, one accepted by {@link #versionConditionProblem}. Called
     * on an event loop for every request a version-narrowed rule sees: must be fast.
     */
    default boolean versionMatches(String condition, String version) {
        return false;
    }

    /**
     * Orders two versions of one name as the format's clients do: negative when {@code a} comes before (is older
     * than) {@code b}. Lifecycle policies keep the newest versions of each name by it. The default compares the
     * texts.
     */
    default int compareVersions(String a, String b) {
        return a.compareTo(b);
    }

    /**
     * The METADATA body a client receives once the registry's filter rules have been applied: lists leave out the
     * versions {@code refusal} refuses, so a client never chooses one. Only the format can read these bodies. Called
     * on an event loop; must be fast. The default returns the body unchanged.
     *
     * @param ref     a METADATA artifact whose name the rules admit
     * @param body    the merged body
     * @param refusal for a version of {@code ref}'s name, why the rules refuse it, or empty when they admit it
     * @throws VregException of kind {@link ErrorKind#FORBIDDEN} with the refusal when the body answers with one
     *                       version only (Go: {@code @latest}, a query's {@code .info}) and that version is refused
     */
    default Buffer filterMetadata(ArtifactRef ref, Buffer body,
                                  java.util.function.Function<String, Optional<String>> refusal) {
        return body;
    }

    /**
     * Why {@code prefix} cannot be a vanity prefix of a registry of this format, in a sentence naming it, or empty
     * when it can. A vanity prefix is a name prefix (Go: a module path prefix such as {@code go.acme.example/}) whose
     * discovery requests the host answers with {@link #discoveryPage}. The default refuses every prefix: a format
     * without discovery pages has no use for them.
     */
    default Optional<String> vanityPrefixProblem(String prefix) {
        return Optional.of("registries of format " + id() + " have no vanity prefixes");
    }

    /**
     * The page answering a request for {@code name} (host and path without the scheme, no trailing slash, e.g.
     * {@code go.acme.example/tools/lint}) that falls under a vanity prefix of a registry, or empty when the request
     * is not a discovery request of this format (the host then answers as for any unknown path). Called on an event
     * loop; must be fast.
     *
     * @param query       the request's query parameters, each with its first value
     * @param registryUrl the registry's external base URL, e.g. {@code https://vreg.example/go/acme/main}
     * @throws VregException of kind {@link ErrorKind#NOT_FOUND} with a reason when {@code name} is no valid name
     */
    default Optional<DiscoveryPage> discoveryPage(String name, java.util.Map<String, String> query,
                                                  String registryUrl) {
        return Optional.empty();
    }

    /**
     * What a request path asks of a checksum database the registry passes through, or empty when the path is not
     * one (the default: the format has none). Such paths are answered by the host's pass-through, not by
     * {@link #classify}.
     *
     * @throws VregException of kind {@link ErrorKind#NOT_FOUND} or {@link ErrorKind#INVALID} when the path is below
     *                       the checksum database prefix but malformed
     */
    default Optional<ChecksumDbRequest> checksumDbRequest(String rawPath) {
        return Optional.empty();
    }

    /** The format's checksum database verifier, or empty (the default) when it has none. */
    default Optional<ChecksumVerifier> checksumVerifier() {
        return Optional.empty();
    }
}
