package dev.vreg.host.storage.s3;

import dev.vreg.host.config.VregConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.Properties;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3-compatible server in the test JVM: s3proxy on 127.0.0.1 (a random port), with AWS signature checking,
 * over jclouds' in-memory store or its file system store. Tests reach it with the AWS SDK as vreg does.
 */
public final class S3Server implements AutoCloseable {

    public static final String ACCESS_KEY = "vreg-test-access";
    public static final String SECRET_KEY = "vreg-test-secret-0123456789";

    private final BlobStoreContext context;
    private S3Proxy proxy;
    private final int port;

    private S3Server(BlobStoreContext context, S3Proxy proxy) {
        this.context = context;
        this.proxy = proxy;
        this.port = proxy.getPort();
    }

    /** An in-memory server. */
    public static S3Server inMemory() throws Exception {
        return start(ContextBuilder.newBuilder("transient").credentials("identity", "credential")
                .build(BlobStoreContext.class));
    }

    /** A server keeping its objects as files under {@code dir}. */
    public static S3Server onDisk(Path dir) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", dir.toAbsolutePath().toString());
        return start(ContextBuilder.newBuilder("filesystem").credentials("identity", "credential")
                .overrides(properties).build(BlobStoreContext.class));
    }

    private static S3Server start(BlobStoreContext context) throws Exception {
        return new S3Server(context, listen(context, 0));
    }

    private static S3Proxy listen(BlobStoreContext context, int port) throws Exception {
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!AbstractLifeCycle.STARTED.equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
        return proxy;
    }

    /** Stops serving, as a crashed or stopped S3 server does; the objects stay for {@link #restart()}. */
    public synchronized void stop() throws Exception {
        proxy.stop();
    }

    /** Serves the same objects again on the same port after {@link #stop()}. */
    public synchronized void restart() throws Exception {
        proxy = listen(context, port);
    }

    /** Creates a bucket. */
    public S3Server bucket(String name) {
        context.getBlobStore().createContainerInLocation(null, name);
        return this;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Settings for a store on {@code bucket} of this server, path-style, with static credentials. */
    public VregConfig.S3 settings(String bucket, String prefix) {
        VregConfig.S3 s3 = new VregConfig.S3();
        s3.bucket = bucket;
        s3.prefix = prefix;
        s3.endpoint = endpoint();
        s3.region = "us-east-1";
        s3.pathStyle = true;
        s3.accessKeyId = ACCESS_KEY;
        s3.secretAccessKey = SECRET_KEY;
        s3.partSize = 5L << 20;
        return s3;
    }

    /** A client of this server as vreg's store builds one; the caller closes it. */
    public software.amazon.awssdk.services.s3.S3AsyncClient client() {
        return software.amazon.awssdk.services.s3.S3AsyncClient.builder()
                .endpointOverride(URI.create(endpoint()))
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .requestChecksumCalculation(
                        software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
                .build();
    }

    /** The keys in {@code bucket}, read past the server's S3 API, from its backend. */
    public java.util.List<String> keys(String bucket) {
        java.util.List<String> keys = new java.util.ArrayList<>();
        org.jclouds.blobstore.options.ListContainerOptions options =
                org.jclouds.blobstore.options.ListContainerOptions.Builder.recursive();
        String marker = null;
        do {
            var page = context.getBlobStore().list(bucket, marker == null ? options : options.afterMarker(marker));
            page.forEach(meta -> {
                if (meta.getType() == org.jclouds.blobstore.domain.StorageType.BLOB) {
                    keys.add(meta.getName());
                }
            });
            marker = page.getNextMarker();
        } while (marker != null);
        return keys;
    }

    @Override
    public synchronized void close() throws Exception {
        proxy.stop();
        context.close();
    }
}
