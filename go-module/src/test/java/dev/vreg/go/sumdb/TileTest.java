package dev.vreg.go.sumdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Paths as golang.org/x/mod/sumdb/tlog's {@code Tile.Path} writes them. */
class TileTest {

    @Test
    void writesIndexesInGroupsOfThreeDigits() {
        assertThat(new Tile(8, 0, 0, 256).path()).isEqualTo("tile/8/0/000");
        assertThat(new Tile(8, 0, 1234067, 256).path()).isEqualTo("tile/8/0/x001/x234/067");
        assertThat(new Tile(8, 1, 5, 17).path()).isEqualTo("tile/8/1/005.p/17");
        assertThat(new Tile(8, -1, 1000, 256).path()).isEqualTo("tile/8/data/x001/000");
        assertThat(new Tile(8, -1, 2, 3).path()).isEqualTo("tile/8/data/002.p/3");
    }

    @Test
    void readsWhatItWrites() throws Exception {
        for (Tile tile : new Tile[] {new Tile(8, 0, 0, 256), new Tile(8, 2, 1234067, 5), new Tile(8, -1, 999, 255),
            new Tile(4, 3, 1000000, 16)}) {
            assertThat(Tile.parse(tile.path())).isEqualTo(tile);
        }
        assertThat(Tile.parse("tile/8/0/000.p/1").isPartial()).isTrue();
        assertThat(Tile.parse("tile/8/0/000").isPartial()).isFalse();
        assertThat(Tile.parse("tile/8/0/007.p/9").full()).isEqualTo(new Tile(8, 0, 7, 256));
    }

    @Test
    void refusesEverythingElse() {
        for (String bad : new String[] {"tile/8/0/1", "tile/8/0/0000", "tile/8/0/x000", "tile/8/0/000.p/256",
            "tile/8/0/000.p/0", "tile/0/0/000", "tile/31/0/000", "tile/8/-1/000", "tile/8/0", "tiles/8/0/000",
            "tile/8/0/001/002", "tile/8/0/x1/002", "tile/8/0/000.p/", "tile/8/0/000.p/x"}) {
            assertThatThrownBy(() -> Tile.parse(bad)).as(bad).isInstanceOf(SumdbException.class);
        }
    }
}
