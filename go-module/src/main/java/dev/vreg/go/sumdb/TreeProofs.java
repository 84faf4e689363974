package dev.vreg.go.sumdb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Record inclusion and tree consistency, checked with hashes read from tiles of height {@link Tile#HEIGHT}.
 *
 * <p>The root of a tree of N records is the RFC 6962 hash of the range [0, N): a range whose size is a power of two
 * and that starts at a multiple of it is a complete subtree, whose hash a tile stores (level {@code k} subtrees are
 * {@code 2^(k mod H)} consecutive hashes of a tile at level {@code k / H}); any other range splits at the largest
 * power of two below its size. A proof recomputes a signed root from the tiles with some ranges pinned to known
 * hashes (the record's own leaf hash; the subtrees an older root was made of), so the root only matches when the
 * pinned hashes are part of the tree the signature covers.
 *
 * <p>Checking is done in two passes with the same code: {@link #tilesFor} runs the computation only to learn which
 * tiles it reads, the caller fetches them, and {@link #checkRecord} or {@link #checkTree} runs it on their data.
 */
public final class TreeProofs {

    /** A complete subtree: {@code 2^level} leaves starting at {@code index · 2^level}. */
    record Subtree(int level, long index) {

        long lo() {
            return index << level;
        }

        long hi() {
            return (index + 1) << level;
        }
    }

    /** Where the hash of a subtree is read. */
    private interface Stored {
        byte[] hash(Subtree subtree) throws SumdbException;
    }

    private static final byte[] ZERO = new byte[Rfc6962.HASH_SIZE];

    private TreeProofs() {
    }

    /** The tiles, each as wide as a tree of {@code treeSize} has it, that proving record {@code id} reads. */
    public static List<Tile> tilesForRecord(long treeSize, long id) {
        requireRecord(treeSize, id);
        Set<Subtree> read = new LinkedHashSet<>();
        try {
            rootOf(0, treeSize, s -> {
                read.add(s);
                return ZERO;
            }, Map.of(new Subtree(0, id), ZERO));
        } catch (SumdbException e) {
            throw new IllegalStateException(e);
        }
        return tilesFor(treeSize, read);
    }

    /** The tiles that proving a tree of {@code oldSize} a prefix of one of {@code newSize} reads. */
    public static List<Tile> tilesForTree(long oldSize, long newSize) {
        requireSizes(oldSize, newSize);
        Set<Subtree> read = new LinkedHashSet<>();
        Stored recording = s -> {
            read.add(s);
            return ZERO;
        };
        try {
            Map<Subtree, byte[]> pinned = new java.util.LinkedHashMap<>();
            for (Subtree s : decompose(oldSize)) {
                pinned.put(s, recording.hash(s));
            }
            rootOf(0, newSize, recording, pinned);
        } catch (SumdbException e) {
            throw new IllegalStateException(e);
        }
        return tilesFor(newSize, read);
    }

    /**
     * Checks that {@code record} is record {@code id} of {@code tree}.
     *
     * @param tiles the data of the tiles {@link #tilesForRecord} named, by tile
     * @throws SumdbException when a tile is missing or has the wrong size, or when the proof fails
     */
    public static void checkRecord(TreeHead tree, long id, byte[] record, Map<Tile, byte[]> tiles)
            throws SumdbException {
        requireRecord(tree.size(), id);
        Subtree leaf = new Subtree(0, id);
        byte[] root = rootOf(0, tree.size(), reader(tree.size(), tiles), Map.of(leaf, Rfc6962.leafHash(record)));
        if (!Arrays.equals(root, tree.hash())) {
            throw new SumdbException("record " + id + " is not in the signed " + tree + ": its inclusion proof fails");
        }
    }

    /**
     * Checks that {@code older} is a prefix of {@code newer}: the log grew, it did not fork.
     *
     * @param tiles the data of the tiles {@link #tilesForTree} named, by tile
     * @throws SumdbException when the two trees cannot both be true
     */
    public static void checkTree(TreeHead older, TreeHead newer, Map<Tile, byte[]> tiles) throws SumdbException {
        requireSizes(older.size(), newer.size());
        if (older.size() == newer.size()) {
            if (!Arrays.equals(older.hash(), newer.hash())) {
                throw new SumdbException("two different trees of size " + older.size() + ": " + older + " and "
                        + newer);
            }
            return;
        }
        Stored stored = reader(newer.size(), tiles);
        Map<Subtree, byte[]> pinned = new java.util.LinkedHashMap<>();
        for (Subtree s : decompose(older.size())) {
            pinned.put(s, stored.hash(s));
        }
        byte[] oldRoot = older.size() == 0 ? ZERO : rootOf(0, older.size(), s -> pinned.get(s), pinned);
        byte[] newRoot = rootOf(0, newer.size(), stored, pinned);
        if (!Arrays.equals(newRoot, newer.hash()) || older.size() > 0 && !Arrays.equals(oldRoot, older.hash())) {
            throw new SumdbException(older + " is not a prefix of " + newer + ": the consistency proof fails");
        }
    }

    /** The hash of [lo, hi), pinned ranges taken as given and complete ranges without pinned ones inside stored. */
    private static byte[] rootOf(long lo, long hi, Stored stored, Map<Subtree, byte[]> pinned) throws SumdbException {
        long n = hi - lo;
        if (Long.bitCount(n) == 1 && lo % n == 0) {
            Subtree whole = new Subtree(Long.numberOfTrailingZeros(n), lo / n);
            byte[] given = pinned.get(whole);
            if (given != null) {
                return given;
            }
            if (!pinnedInside(lo, hi, pinned.keySet())) {
                return stored.hash(whole);
            }
        }
        long k = Long.highestOneBit(n - 1);
        return Rfc6962.nodeHash(rootOf(lo, lo + k, stored, pinned), rootOf(lo + k, hi, stored, pinned));
    }

    private static boolean pinnedInside(long lo, long hi, Collection<Subtree> pinned) {
        for (Subtree s : pinned) {
            if (s.lo() >= lo && s.hi() <= hi) {
                return true;
            }
        }
        return false;
    }

    /** [0, size) as the complete subtrees RFC 6962 makes it of, largest first. */
    static List<Subtree> decompose(long size) {
        List<Subtree> out = new ArrayList<>();
        long lo = 0;
        while (lo < size) {
            long k = Long.highestOneBit(size - lo);
            out.add(new Subtree(Long.numberOfTrailingZeros(k), lo / k));
            lo += k;
        }
        return out;
    }

    /** The tile (as wide as the tree has it) that stores a subtree, and where in it. */
    private static Tile tileOf(long treeSize, Subtree s) {
        int h = Tile.HEIGHT;
        int level = s.level() / h;
        int r = s.level() % h;
        long first = s.index() << r;
        long tileIndex = first >> h;
        long entries = treeSize >> (h * level);
        int width = (int) Math.min(1L << h, entries - (tileIndex << h));
        return new Tile(h, level, tileIndex, width);
    }

    private static List<Tile> tilesFor(long treeSize, Set<Subtree> read) {
        Set<Tile> tiles = new LinkedHashSet<>();
        read.forEach(s -> tiles.add(tileOf(treeSize, s)));
        return List.copyOf(tiles);
    }

    private static Stored reader(long treeSize, Map<Tile, byte[]> tiles) {
        return s -> {
            Tile tile = tileOf(treeSize, s);
            byte[] data = tiles.get(tile);
            if (data == null) {
                throw new SumdbException("tile " + tile.path() + " was not read");
            }
            if (data.length != tile.width() * Rfc6962.HASH_SIZE) {
                throw new SumdbException("tile " + tile.path() + " has " + data.length + " bytes, not "
                        + tile.width() * Rfc6962.HASH_SIZE);
            }
            int r = s.level() % Tile.HEIGHT;
            int offset = (int) ((s.index() << r) - (tile.index() << Tile.HEIGHT));
            return subtreeHash(data, offset, 1 << r);
        };
    }

    /** The hash of {@code count} (a power of two) consecutive hashes of a tile, starting at {@code offset}. */
    private static byte[] subtreeHash(byte[] data, int offset, int count) {
        if (count == 1) {
            return Arrays.copyOfRange(data, offset * Rfc6962.HASH_SIZE, (offset + 1) * Rfc6962.HASH_SIZE);
        }
        int half = count / 2;
        return Rfc6962.nodeHash(subtreeHash(data, offset, half), subtreeHash(data, offset + half, half));
    }

    private static void requireRecord(long treeSize, long id) {
        if (id < 0 || id >= treeSize) {
            throw new IllegalArgumentException("record " + id + " is not in a tree of " + treeSize);
        }
    }

    private static void requireSizes(long oldSize, long newSize) {
        if (oldSize < 0 || oldSize > newSize) {
            throw new IllegalArgumentException("a tree of " + oldSize + " cannot be a prefix of one of " + newSize);
        }
    }
}
