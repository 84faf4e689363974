package dev.vreg.host.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.storage.StorageFailures;
import dev.vreg.spi.ContentCheck;
import dev.vreg.spi.ContentChecker;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import dev.vreg.testkit.upstream.Await;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The body's two stages, the file with the blob's SHA-256 and the format's check, each on a worker thread of its own:
 * both see every byte in order, whatever the sizes of the buffers, and a failure of either stops the body.
 */
class TeeWriteStreamTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static Vertx vertx;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        Await.result(vertx.close(), WAIT);
    }

    /** A check that hashes what it is fed, the way the Go format's check hashes a zip's files for their h1. */
    private static final class DigestingChecker implements ContentChecker {
        final MessageDigest sha256 = sha256();
        final long failAt;
        long seen;

        DigestingChecker(long failAt) {
            this.failAt = failAt;
        }

        @Override
        public void update(ByteBuffer bytes) {
            int position = bytes.position();
            seen += bytes.remaining();
            if (seen > failAt) {
                throw VregException.upstreamInvalid("refused at byte " + failAt);
            }
            sha256.update(bytes);
            bytes.position(position);
        }

        @Override
        public ContentCheck finish(Path file) {
            return new ContentCheck(Map.of("sha256", HexFormat.of().formatHex(sha256.digest())));
        }
    }

    private record Outcome(TeeWriteStream tee, StreamingCheck check, Future<Void> written) {
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4095, (256 << 10) - 1, 256 << 10, (256 << 10) + 1, (3 << 20) + 7, 11 << 20})
    void bothStagesSeeEveryByteInOrderWhateverTheBufferSizes(int size) throws Exception {
        byte[] body = new byte[size];
        new Random(size).nextBytes(body);
        Path temp = Files.createFile(dir.resolve("body-" + size + ".part"));
        DigestingChecker checker = new DigestingChecker(Long.MAX_VALUE);

        Outcome outcome = onContext(context -> feed(context, temp, checker, body, new Random(size + 1)));
        Await.result(outcome.written(), WAIT);
        ContentCheck verdict = Await.result(onContext(context -> outcome.check().finish(temp)), WAIT);

        String expected = HexFormat.of().formatHex(sha256().digest(body));
        assertThat(outcome.tee().sha256Hex()).isEqualTo(expected);
        assertThat(verdict.attributes()).containsEntry("sha256", expected);
        assertThat(outcome.tee().bytes()).isEqualTo(size);
        assertThat(Files.readAllBytes(temp)).isEqualTo(body);
    }

    @Test
    void aRefusalOfTheCheckStopsTheBodyAndTheFileCanBeDiscarded() throws Exception {
        byte[] body = new byte[2 << 20];
        new Random(7).nextBytes(body);
        Path temp = Files.createFile(dir.resolve("refused.part"));

        Outcome outcome = onContext(context -> feed(context, temp, new DigestingChecker(1 << 20), body,
                new Random(8)));
        Throwable failure = Await.failure(outcome.written().transform(written -> written.failed()
                ? Future.failedFuture(written.cause())
                : outcome.check().finish(temp).mapEmpty()), WAIT);

        assertThat(VregException.is(failure, ErrorKind.UPSTREAM_INVALID)).isTrue();
        assertThat(failure).hasMessageContaining("refused at byte");
        Await.result(onContext(context -> outcome.tee().closeFile()), WAIT);
        Files.delete(temp);
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void aFileThatCannotBeWrittenFailsTheBodyAsTheLocalStoresFault() throws Exception {
        byte[] body = new byte[1 << 20];
        new Random(9).nextBytes(body);
        Path missing = dir.resolve("gone").resolve("body.part");

        Outcome outcome = onContext(context -> feed(context, missing, new DigestingChecker(Long.MAX_VALUE), body,
                new Random(10)));
        Throwable failure = Await.failure(outcome.written(), WAIT);

        assertThat(VregException.is(failure, ErrorKind.STORAGE_UNAVAILABLE)).isTrue();
        assertThat(failure).hasMessageContaining("the local blob store could not");
        Await.result(onContext(context -> outcome.tee().closeFile()), WAIT);
        assertThat(missing).doesNotExist();
    }

    /**
     * Writes {@code body} in buffers of random sizes, as a pipe would (waiting while the stages are full), then ends
     * it; the outcome's future fails with the first failed write or end.
     */
    private static Outcome feed(Context context, Path temp, ContentChecker checker, byte[] body, Random sizes) {
        StreamingCheck check = new StreamingCheck(new SerialWorker(context), checker);
        TeeWriteStream tee = new TeeWriteStream(new BodyFile(new SerialWorker(context), temp), null, Long.MAX_VALUE,
                new StorageFailures(new SimpleMeterRegistry()), check);
        Promise<Void> done = Promise.promise();
        write(tee, body, 0, sizes, done);
        return new Outcome(tee, check, done.future());
    }

    private static void write(TeeWriteStream tee, byte[] body, int from, Random sizes, Promise<Void> done) {
        int at = from;
        while (at < body.length) {
            if (tee.writeQueueFull()) {
                int resume = at;
                tee.drainHandler(v -> write(tee, body, resume, sizes, done));
                return;
            }
            int length = Math.min(body.length - at, 1 + sizes.nextInt(70_000));
            tee.write(Buffer.buffer(java.util.Arrays.copyOfRange(body, at, at + length)))
                    .onFailure(done::tryFail);
            at += length;
        }
        tee.end().onSuccess(done::tryComplete).onFailure(done::tryFail);
    }

    private static <T> T onContext(java.util.function.Function<Context, T> action) throws Exception {
        Context context = vertx.getOrCreateContext();
        java.util.concurrent.CompletableFuture<T> result = new java.util.concurrent.CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                result.complete(action.apply(context));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
