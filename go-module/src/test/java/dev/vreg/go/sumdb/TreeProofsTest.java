package dev.vreg.go.sumdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Proofs against a log built here by the RFC 6962 definition itself (the hash of a range splits at the largest power
 * of two below its size), with tiles cut from it as tlog stores them. The real format is checked against
 * golang.org/x/mod/sumdb in the Go plugin's tests.
 */
class TreeProofsTest {

    static byte[] record(long i) {
        return ("example.com/m" + i + " v1.0.0 h1:x=\n").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] leaf(long i) {
        return Rfc6962.leafHash(record(i));
    }

    /** MTH(D[lo:hi]) by the definition. */
    static byte[] mth(long lo, long hi) {
        if (hi - lo == 1) {
            return leaf(lo);
        }
        long k = Long.highestOneBit(hi - lo - 1);
        return Rfc6962.nodeHash(mth(lo, lo + k), mth(lo + k, hi));
    }

    /** Every tile a tree of {@code size} has, each as wide as it has it. */
    static Map<Tile, byte[]> tiles(long size) {
        Map<Tile, byte[]> tiles = new HashMap<>();
        for (int level = 0; (size >> (8 * level)) > 0; level++) {
            long entries = size >> (8 * level);
            long span = 1L << (8 * level);
            for (long t = 0; t * 256 < entries; t++) {
                int width = (int) Math.min(256, entries - t * 256);
                byte[] data = new byte[width * 32];
                for (int j = 0; j < width; j++) {
                    long lo = (t * 256 + j) * span;
                    System.arraycopy(mth(lo, lo + span), 0, data, j * 32, 32);
                }
                tiles.put(new Tile(8, level, t, width), data);
            }
        }
        return tiles;
    }

    static TreeHead tree(long size) {
        return new TreeHead(size, mth(0, size));
    }

    @Test
    void hashesAsRfc6962Says() {
        // SHA-256 of the single byte 0x00: the leaf hash of an empty record.
        assertThat(HexFormat.of().formatHex(Rfc6962.leafHash(new byte[0])))
                .isEqualTo("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
    }

    @Test
    void provesEveryRecordOfTreesAcrossTileBoundaries() throws Exception {
        for (long size : new long[] {1, 2, 3, 7, 8, 255, 256, 257, 300, 511, 512, 513}) {
            Map<Tile, byte[]> tiles = tiles(size);
            TreeHead tree = tree(size);
            for (long id = 0; id < size; id += size > 20 ? 17 : 1) {
                List<Tile> needed = TreeProofs.tilesForRecord(size, id);
                assertThat(tiles.keySet()).containsAll(needed);
                TreeProofs.checkRecord(tree, id, record(id), only(tiles, needed));
            }
        }
    }

    @Test
    void refusesARecordThatIsNotTheOneLogged() {
        long size = 300;
        assertThatThrownBy(() -> TreeProofs.checkRecord(tree(size), 5, record(6), tiles(size)))
                .hasMessageContaining("inclusion proof fails");
    }

    @Test
    void refusesATamperedTile() {
        long size = 300;
        Map<Tile, byte[]> tiles = tiles(size);
        List<Tile> needed = TreeProofs.tilesForRecord(size, 270);
        byte[] data = tiles.get(needed.get(0));
        data[3] ^= 1;
        assertThatThrownBy(() -> TreeProofs.checkRecord(tree(size), 270, record(270), tiles))
                .isInstanceOf(SumdbException.class);
    }

    @Test
    void refusesATileOfTheWrongSize() {
        long size = 10;
        Map<Tile, byte[]> tiles = tiles(size);
        Tile tile = TreeProofs.tilesForRecord(size, 3).get(0);
        tiles.put(tile, Arrays.copyOf(tiles.get(tile), 32 * 3));
        assertThatThrownBy(() -> TreeProofs.checkRecord(tree(size), 3, record(3), tiles))
                .hasMessageContaining("bytes, not");
    }

    @Test
    void provesEveryOlderTreeAPrefixOfANewerOne() throws Exception {
        for (long newer : new long[] {1, 5, 256, 257, 300, 513}) {
            Map<Tile, byte[]> tiles = tiles(newer);
            for (long older = 1; older <= newer; older += newer > 20 ? 13 : 1) {
                List<Tile> needed = TreeProofs.tilesForTree(older, newer);
                TreeProofs.checkTree(tree(older), tree(newer), only(tiles, needed));
            }
        }
    }

    @Test
    void refusesAForkedTree() {
        long newer = 300;
        byte[] other = mth(0, 100);
        other[0] ^= 1;
        TreeHead forged = new TreeHead(100, other);
        assertThatThrownBy(() -> TreeProofs.checkTree(forged, tree(newer), tiles(newer)))
                .hasMessageContaining("not a prefix");
        TreeHead sameSizeOther = new TreeHead(newer, other);
        assertThatThrownBy(() -> TreeProofs.checkTree(sameSizeOther, tree(newer), tiles(newer)))
                .hasMessageContaining("two different trees");
    }

    private static Map<Tile, byte[]> only(Map<Tile, byte[]> tiles, List<Tile> needed) {
        Map<Tile, byte[]> out = new HashMap<>();
        needed.forEach(t -> out.put(t, tiles.get(t)));
        return out;
    }
}
