package dev.vreg.go.checksumdb;

import dev.vreg.go.sumdb.LookupAnswer;
import dev.vreg.go.sumdb.Rfc6962;
import dev.vreg.go.sumdb.SignedNote;
import dev.vreg.go.sumdb.SumdbException;
import dev.vreg.go.sumdb.Tile;
import dev.vreg.go.sumdb.TreeHead;
import dev.vreg.go.sumdb.TreeProofs;
import dev.vreg.go.sumdb.VerifierKey;

import dev.vreg.go.GoFile;
import dev.vreg.go.GoFormatPlugin;
import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.AssetKind;
import dev.vreg.spi.ChecksumSource;
import dev.vreg.spi.ChecksumVerdict;
import dev.vreg.spi.ChecksumVerdict.Status;
import dev.vreg.spi.ChecksumVerifier;
import dev.vreg.spi.ContentCheck;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies a {@code .mod} or {@code .zip} the way the go command does before it writes a go.sum line
 * (golang.org/x/mod/sumdb {@code Client.Lookup}): the lookup's record must be included, by an RFC 6962 proof read
 * from tiles, in a tree note signed by the database's key; that tree must extend the tree verified before (or be
 * extended by it), else the log has forked; and the record's line for the file must carry the file's h1.
 */
public final class GoChecksumVerifier implements ChecksumVerifier {

    @Override
    public boolean covers(ArtifactRef ref) {
        if (ref.kind() != AssetKind.CONTENT || ref.version() == null) {
            return false;
        }
        GoFile file = GoFile.of(ref.file());
        return file == GoFile.MOD || file == GoFile.ZIP;
    }

    @Override
    public Optional<String> keyProblem(String verifierKey) {
        try {
            VerifierKey.parse(verifierKey);
            return Optional.empty();
        } catch (SumdbException e) {
            return Optional.of(e.getMessage());
        }
    }

    @Override
    public String databaseOf(String verifierKey) {
        return verifierKey.substring(0, verifierKey.indexOf('+'));
    }

    @Override
    public Future<ChecksumVerdict> verify(ArtifactRef ref, ContentCheck check, ChecksumSource source) {
        boolean goMod = GoFile.of(ref.file()) == GoFile.MOD;
        String actual = check.attributes().get(GoFormatPlugin.H1);
        String line = ref.name() + " " + ref.version() + (goMod ? "/go.mod" : "");
        VerifierKey key;
        try {
            key = VerifierKey.parse(source.verifierKey());
        } catch (SumdbException e) {
            return Future.succeededFuture(new ChecksumVerdict(Status.INVALID, null, actual,
                    "the verifier key of the checksum database is unusable: " + e.getMessage()));
        }
        return source.read(SumdbPaths.lookupPath(ref.name(), ref.version())).transform(read -> {
            if (read.failed()) {
                if (VregException.is(read.cause(), ErrorKind.NOT_FOUND)) {
                    return Future.succeededFuture(new ChecksumVerdict(Status.NOT_FOUND, null, actual,
                            key.name() + " has no record of " + ref.name() + "@" + ref.version()));
                }
                return Future.failedFuture(read.cause());
            }
            LookupAnswer answer;
            TreeHead tree;
            String treeText;
            try {
                answer = LookupAnswer.parse(read.result().getBytes());
                treeText = SignedNote.open(answer.signedTree(), key).text();
                tree = TreeHead.parse(treeText);
                if (answer.id() < 0 || answer.id() >= tree.size()) {
                    throw new SumdbException("record " + answer.id() + " is outside its " + tree);
                }
            } catch (SumdbException e) {
                return invalid(actual, key.name() + " answered the lookup of " + line + " wrongly: "
                        + e.getMessage());
            }
            return source.verifiedTree().compose(known -> prove(source, key, answer, tree, treeText, known))
                    .map(problem -> problem != null ? problem : compare(answer, ref, goMod, line, actual, key));
        });
    }

    /** Null when the record and the tree are proven, else the verdict that says why not. */
    private Future<ChecksumVerdict> prove(ChecksumSource source, VerifierKey key, LookupAnswer answer, TreeHead tree,
                                          String treeText, String knownText) {
        TreeHead known = parsedOrNull(knownText);
        TreeHead older = known == null || known.size() <= tree.size() ? known : tree;
        TreeHead newer = known == null || known.size() <= tree.size() ? tree : known;
        Set<Tile> needed = new LinkedHashSet<>(TreeProofs.tilesForRecord(tree.size(), answer.id()));
        if (older != null) {
            needed.addAll(TreeProofs.tilesForTree(older.size(), newer.size()));
        }
        return readTiles(source, new ArrayList<>(needed)).compose(tiles -> {
            if (older != null) {
                try {
                    TreeProofs.checkTree(older, newer, tiles);
                } catch (SumdbException e) {
                    return Future.succeededFuture(new ChecksumVerdict(Status.FORKED, null, null, key.name()
                            + " has forked its log: " + e.getMessage()));
                }
            }
            try {
                TreeProofs.checkRecord(tree, answer.id(), answer.record(), tiles);
            } catch (SumdbException e) {
                return Future.succeededFuture(new ChecksumVerdict(Status.INVALID, null, null, key.name()
                        + ": " + e.getMessage()));
            }
            Future<Void> remembered = newer == tree && (known == null || known.size() < tree.size())
                    ? source.verified(treeText) : Future.succeededFuture();
            return remembered.map(v -> (ChecksumVerdict) null);
        });
    }

    /** A remembered tree was verified when it was stored; one that no longer parses is as good as none. */
    private static TreeHead parsedOrNull(String text) {
        try {
            return text == null ? null : TreeHead.parse(text);
        } catch (SumdbException e) {
            return null;
        }
    }

    private static ChecksumVerdict compare(LookupAnswer answer, ArtifactRef ref, boolean goMod, String line,
                                           String actual, VerifierKey key) {
        Optional<String> expected = answer.hashOf(ref.name(), ref.version(), goMod);
        if (expected.isEmpty()) {
            return new ChecksumVerdict(Status.INVALID, null, actual, key.name() + " answered the lookup of " + line
                    + " with a record of something else");
        }
        if (!expected.get().equals(actual)) {
            return new ChecksumVerdict(Status.MISMATCH, expected.get(), actual, "checksum mismatch for " + line
                    + ": " + key.name() + " records " + expected.get() + ", the upstream's file has " + actual);
        }
        return new ChecksumVerdict(Status.VERIFIED, expected.get(), actual, line + " " + actual + " is recorded by "
                + key.name());
    }

    /**
     * Reads every tile; a partial tile the database no longer serves is read as the full tile it has become, and
     * its first hashes used, as the go command does.
     */
    private static Future<Map<Tile, byte[]>> readTiles(ChecksumSource source, List<Tile> tiles) {
        List<Future<byte[]>> reads = new ArrayList<>();
        for (Tile tile : tiles) {
            reads.add(source.read(tile.path()).recover(e -> {
                if (tile.isPartial() && VregException.is(e, ErrorKind.NOT_FOUND)) {
                    return source.read(tile.full().path()).map(full -> full.getBuffer(0,
                            Math.min(full.length(), tile.width() * Rfc6962.HASH_SIZE)));
                }
                return Future.failedFuture(e);
            }).map(Buffer::getBytes));
        }
        return Future.all(reads).map(all -> {
            Map<Tile, byte[]> data = new LinkedHashMap<>();
            for (int i = 0; i < tiles.size(); i++) {
                data.put(tiles.get(i), reads.get(i).result());
            }
            return data;
        });
    }

    private static Future<ChecksumVerdict> invalid(String actual, String detail) {
        return Future.succeededFuture(new ChecksumVerdict(Status.INVALID, null, actual, detail));
    }

}
