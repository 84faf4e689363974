package dev.vreg.host.e2e;

import dev.vreg.host.VregServer;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.storage.s3.S3Server;
import dev.vreg.host.support.TestVreg;
import java.nio.file.Path;
import java.util.List;

/**
 * Run in a JVM of its own by {@link FleetSingleFlightTest}: one vreg node on the given database and blob directory,
 * which reports its address and runs until it is killed, the way a node dies that gets SIGKILL.
 *
 * <p>Arguments: database URL, data directory, blob directory, admin token, encryption key, upstream URL, and
 * optionally the endpoint and bucket of an S3 server to keep the blobs in (with the test server's credentials).
 */
public final class FleetNode {

    private FleetNode() {
    }

    public static void main(String[] args) throws Exception {
        VregConfig config = FleetSingleFlightTest.node(args[0], Path.of(args[1]), Path.of(args[2]), args[3], args[4],
                List.of(args[5]));
        if (args.length > 7) {
            config.storage.type = "s3";
            config.storage.s3.endpoint = args[6];
            config.storage.s3.bucket = args[7];
            config.storage.s3.region = "us-east-1";
            config.storage.s3.pathStyle = true;
            config.storage.s3.accessKeyId = S3Server.ACCESS_KEY;
            config.storage.s3.secretAccessKey = S3Server.SECRET_KEY;
        }
        VregServer node = TestVreg.start(config);
        System.out.println("URL " + node.baseUrl());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
