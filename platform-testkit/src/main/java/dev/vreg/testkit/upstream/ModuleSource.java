package dev.vreg.testkit.upstream;

import dev.vreg.spi.Credentials;
import dev.vreg.testkit.go.GoModule;
import java.net.URI;

/**
 * A server of some upstream kind that holds Go modules, for {@link UpstreamModuleConformance}: a GOPROXY server
 * publishes the files of a {@link GoModule} as they are ({@link dev.vreg.testkit.go.GoproxyFixture}), Artifactory
 * serves them from its Go API, GitLab keeps them as tagged commits of a project and makes every file from git.
 * Whatever the kind does with them, a client must answer the versions' {@code .info}, {@code .mod} and {@code .zip}
 * so that the go command would compute the same {@code h1:} as for the module's own files.
 */
public interface ModuleSource extends AutoCloseable {

    /** The URL a client of this kind is configured with; its host is a loopback address. */
    URI baseUrl();

    /**
     * Makes the versions of one module available: all have the same module path, and its version list names each.
     *
     * @return this source
     */
    ModuleSource publish(GoModule... versions);

    /**
     * From now on refuses, as the kind refuses wrong credentials (401), every request that does not carry exactly
     * these credentials the way clients of this kind send them.
     */
    void requireCredentials(Credentials credentials);

    /** From now on answers every request with {@code status} and the kind's error body; 0 ends it. */
    void answerEverythingWith(int status);

    /** Forgets what was published and required, and answers normally again. */
    void reset();

    /** Stops the server. */
    @Override
    void close();
}
