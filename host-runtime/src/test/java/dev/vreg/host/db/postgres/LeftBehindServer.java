package dev.vreg.host.db.postgres;

import java.nio.file.Path;

/**
 * Run in a separate JVM by {@link LeftBehindServerTest}: starts a server, reports its port and waits to be killed,
 * the way a vreg that crashes or gets SIGKILL leaves its server running.
 */
public final class LeftBehindServer {

    private LeftBehindServer() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedPostgres postgres = EmbeddedPostgres.start(Path.of(args[0]), Path.of(args[1]));
        System.out.println("PORT " + postgres.port());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
