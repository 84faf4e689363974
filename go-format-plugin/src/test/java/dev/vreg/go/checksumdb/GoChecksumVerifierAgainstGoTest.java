package dev.vreg.go.checksumdb;

import dev.vreg.go.sumdb.TreeHead;
import dev.vreg.go.sumdb.VerifierKey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.go.GoFormatPlugin;
import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.ChecksumSource;
import dev.vreg.spi.ChecksumVerdict;
import dev.vreg.spi.ChecksumVerdict.Status;
import dev.vreg.spi.ContentCheck;
import dev.vreg.spi.VregException;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.GoTool;
import dev.vreg.testkit.go.TestChecksumDb;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verifier against golang.org/x/mod/sumdb's own server, built and run by the real go command: its signed notes,
 * records and tiles are exactly what sum.golang.org serves, so each rule (signature, inclusion, consistency, the
 * record's line) is checked on the real format, and each tampering on it is caught.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class GoChecksumVerifierAgainstGoTest {

    /** More records than one tile holds, so proofs read level-1 tiles and partial tiles of both levels. */
    private static final int MODULES = 300;

    @TempDir
    static Path temp;

    static final List<GoModule> modules = new ArrayList<>();
    static TestChecksumDb db;

    final GoFormatPlugin plugin = new GoFormatPlugin();
    final GoChecksumVerifier verifier = new GoChecksumVerifier();

    @BeforeAll
    static void start() {
        for (int i = 0; i < MODULES; i++) {
            modules.add(GoModule.builder("example.com/m" + i, "v1.0." + i).file("f.go", "package m" + i + "\n")
                    .build());
        }
        GoTool go = GoTool.builder(temp.resolve("go")).build();
        db = TestChecksumDb.start(go, temp.resolve("db"), "sum.test.example", modules.toArray(GoModule[]::new));
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
    }

    /** The database over HTTP, with a remembered tree, optionally altering what it answers. */
    static final class Source implements ChecksumSource {
        final String key;
        String tree;
        UnaryOperator<byte[]> alter = UnaryOperator.identity();
        String altered = "";
        int reads;

        Source(String key, String tree) {
            this.key = key;
            this.tree = tree;
        }

        @Override
        public String verifierKey() {
            return key;
        }

        @Override
        public Future<Buffer> read(String path) {
            reads++;
            HttpResponse<byte[]> response = db.get(path);
            if (response.statusCode() == 404) {
                return Future.failedFuture(VregException.notFound(path));
            }
            if (response.statusCode() != 200) {
                return Future.failedFuture(VregException.upstreamUnavailable(path + ": " + response.statusCode(),
                        null));
            }
            byte[] body = path.startsWith(altered) && !altered.isEmpty() ? alter.apply(response.body())
                    : response.body();
            return Future.succeededFuture(Buffer.buffer(body));
        }

        @Override
        public Future<String> verifiedTree() {
            return Future.succeededFuture(tree);
        }

        @Override
        public Future<Void> verified(String treeText) {
            tree = treeText;
            return Future.succeededFuture();
        }
    }

    ChecksumVerdict verify(GoModule module, String file, String h1, Source source) throws Exception {
        String base = module.escapedPath() + "/@v/" + module.version();
        ArtifactRef ref = plugin.classify(base + "." + file);
        return verifier.verify(ref, new ContentCheck(Map.of("h1", h1)), source).toCompletionStage()
                .toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @Test
    void everyRecordIsProvenAndEveryTreeExtendsTheOneBefore() throws Exception {
        Source source = new Source(db.verifierKey(), null);
        long lastSize = 0;
        for (GoModule module : modules) {
            ChecksumVerdict zip = verify(module, "zip", module.zipHash(), source);
            assertThat(zip.status()).as(zip.detail()).isEqualTo(Status.VERIFIED);
            assertThat(zip.expected()).isEqualTo(module.zipHash());
            ChecksumVerdict mod = verify(module, "mod", module.goModHash(), source);
            assertThat(mod.status()).as(mod.detail()).isEqualTo(Status.VERIFIED);
            long size = TreeHead.parse(source.tree).size();
            assertThat(size).isGreaterThanOrEqualTo(lastSize);
            lastSize = size;
        }
        assertThat(lastSize).isGreaterThanOrEqualTo(MODULES);
    }

    @Test
    void anotherHashIsAMismatchNamingBoth() throws Exception {
        GoModule module = modules.get(3);
        String other = modules.get(4).zipHash();
        ChecksumVerdict verdict = verify(module, "zip", other, new Source(db.verifierKey(), null));
        assertThat(verdict.status()).isEqualTo(Status.MISMATCH);
        assertThat(verdict.expected()).isEqualTo(module.zipHash());
        assertThat(verdict.actual()).isEqualTo(other);
        assertThat(verdict.detail()).contains(module.zipHash(), other, "example.com/m3 v1.0.3");
    }

    @Test
    void anUnknownVersionIsNotFound() throws Exception {
        GoModule unknown = GoModule.builder("example.com/unknown", "v1.0.0").build();
        ChecksumVerdict verdict = verify(unknown, "zip", unknown.zipHash(), new Source(db.verifierKey(), null));
        assertThat(verdict.status()).isEqualTo(Status.NOT_FOUND);
    }

    @Test
    void aTreeThatDoesNotExtendTheVerifiedOneIsAFork() throws Exception {
        GoModule module = modules.get(5);
        assertThat(verify(module, "zip", module.zipHash(), new Source(db.verifierKey(), null)).status())
                .isEqualTo(Status.VERIFIED);
        long size = latestSize();
        byte[] otherRoot = new byte[32];
        otherRoot[0] = 1;
        String forged = "go.sum database tree\n" + (size - 1) + "\n" + Base64.getEncoder().encodeToString(otherRoot)
                + "\n";
        ChecksumVerdict verdict = verify(module, "zip", module.zipHash(), new Source(db.verifierKey(), forged));
        assertThat(verdict.status()).as(verdict.detail()).isEqualTo(Status.FORKED);
        assertThat(verdict.detail()).contains("not a prefix");
    }

    @Test
    void aLargerRememberedTreeMustExtendTheAnswersTree() throws Exception {
        GoModule module = modules.get(6);
        Source first = new Source(db.verifierKey(), null);
        assertThat(verify(module, "zip", module.zipHash(), first).status()).isEqualTo(Status.VERIFIED);
        String older = first.tree;
        // Grow the log past the answer's tree, remember the grown tree, and check the old answer against it.
        GoModule later = modules.get(MODULES - 1);
        Source grown = new Source(db.verifierKey(), null);
        assertThat(verify(later, "zip", later.zipHash(), grown).status()).isEqualTo(Status.VERIFIED);
        Source withGrown = new Source(db.verifierKey(), grown.tree);
        assertThat(verify(module, "mod", module.goModHash(), withGrown).status()).isEqualTo(Status.VERIFIED);
        assertThat(withGrown.tree).isEqualTo(grown.tree);
        assertThat(TreeHead.parse(older).size()).isLessThanOrEqualTo(TreeHead.parse(grown.tree).size());
    }

    @Test
    void aTamperedTileFailsTheProof() throws Exception {
        GoModule module = modules.get(7);
        Source source = new Source(db.verifierKey(), null);
        source.altered = "tile/";
        source.alter = data -> {
            byte[] copy = data.clone();
            for (int i = 0; i < copy.length; i++) {
                copy[i] ^= 1;
            }
            return copy;
        };
        ChecksumVerdict verdict = verify(module, "zip", module.zipHash(), source);
        assertThat(verdict.status()).as(verdict.detail()).isEqualTo(Status.INVALID);
    }

    @Test
    void aTamperedRecordFailsItsInclusionProof() throws Exception {
        GoModule module = modules.get(8);
        GoModule other = modules.get(9);
        Source source = new Source(db.verifierKey(), null);
        source.altered = "lookup/";
        source.alter = data -> new String(data, StandardCharsets.UTF_8).replace(module.zipHash(), other.zipHash())
                .getBytes(StandardCharsets.UTF_8);
        ChecksumVerdict verdict = verify(module, "zip", other.zipHash(), source);
        assertThat(verdict.status()).as(verdict.detail()).isEqualTo(Status.INVALID);
        assertThat(verdict.detail()).contains("inclusion proof fails");
    }

    @Test
    void aNoteSignedByAnotherKeyIsRefused() throws Exception {
        GoModule module = modules.get(10);
        // A well-formed key of the same name whose hash and key differ from the database's.
        String otherKey = "sum.test.example+" + keyHashOfOther() + "+" + OTHER_KEY;
        ChecksumVerdict verdict = verify(module, "zip", module.zipHash(), new Source(otherKey, null));
        assertThat(verdict.status()).as(verdict.detail()).isEqualTo(Status.INVALID);
        assertThat(verdict.detail()).contains("no verifiable signature");
    }

    @Test
    void aSignatureThatDoesNotVerifyIsRefused() throws Exception {
        GoModule module = modules.get(11);
        Source source = new Source(db.verifierKey(), null);
        source.altered = "lookup/";
        // The tree size line is part of the signed text; the signature no longer covers it.
        source.alter = data -> {
            String text = new String(data, StandardCharsets.UTF_8);
            return text.replace("go.sum database tree\n", "go.sum database tree\n1").getBytes(StandardCharsets.UTF_8);
        };
        ChecksumVerdict verdict = verify(module, "zip", module.zipHash(), source);
        assertThat(verdict.status()).as(verdict.detail()).isEqualTo(Status.INVALID);
        assertThat(verdict.detail()).contains("invalid signature");
    }

    /** An Ed25519 key (0x01 ‖ 32 bytes) no test database uses. */
    private static final String OTHER_KEY = Base64.getEncoder().encodeToString(otherKeyBytes());

    private static byte[] otherKeyBytes() {
        byte[] key = new byte[33];
        key[0] = 1;
        for (int i = 1; i < key.length; i++) {
            key[i] = (byte) (i * 7);
        }
        return key;
    }

    private static String keyHashOfOther() {
        return String.format("%08x", VerifierKey.keyHash("sum.test.example", otherKeyBytes()));
    }

    private static long latestSize() throws Exception {
        HttpResponse<byte[]> latest = db.get("latest");
        return TreeHead.parse(new String(latest.body(), StandardCharsets.UTF_8).split("\n\n")[0] + "\n").size();
    }
}
