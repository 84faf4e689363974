package dev.vreg.go.sumdb;

import java.util.ArrayList;
import java.util.List;

/**
 * A tile of the log (golang.org/x/mod/sumdb/tlog): at height H, the tile at level L and index N holds up to 2^H
 * hashes of level L·H, those of the subtrees N·2^H to N·2^H + W − 1 ({@code level == -1}: the record data of level 0
 * instead). Its path is {@code tile/H/L/NNN[.p/W]}: N in groups of three decimal digits, every group but the last
 * prefixed with {@code x}; {@code .p/W} marks a partial tile of width W < 2^H.
 */
public record Tile(int height, int level, long index, int width) {

    /** The height the go command asks for. */
    public static final int HEIGHT = 8;
    private static final int PATH_BASE = 1000;

    public Tile {
        if (height < 1 || height > 30 || level < -1 || index < 0 || width < 1 || width > 1 << height) {
            throw new IllegalArgumentException("no such tile: height " + height + ", level " + level + ", index "
                    + index + ", width " + width);
        }
    }

    public boolean isPartial() {
        return width < 1 << height;
    }

    public boolean isData() {
        return level == -1;
    }

    /** The full tile this one is a prefix of (itself when it is full). */
    public Tile full() {
        return new Tile(height, level, index, 1 << height);
    }

    public String path() {
        long n = index;
        StringBuilder digits = new StringBuilder(String.format("%03d", n % PATH_BASE));
        while (n >= PATH_BASE) {
            n /= PATH_BASE;
            digits.insert(0, String.format("x%03d/", n % PATH_BASE));
        }
        return "tile/" + height + "/" + (level == -1 ? "data" : Integer.toString(level)) + "/" + digits
                + (isPartial() ? ".p/" + width : "");
    }

    /** @throws SumdbException when {@code path} is not a tile path in its one canonical spelling */
    public static Tile parse(String path) throws SumdbException {
        List<String> f = new ArrayList<>(List.of(path.split("/", -1)));
        if (f.size() < 4 || !f.get(0).equals("tile")) {
            throw new SumdbException("malformed tile path " + path);
        }
        int height = smallNumber(f.get(1), path);
        boolean data = f.get(2).equals("data");
        int level = data ? -1 : smallNumber(f.get(2), path);
        if (height < 1 || height > 30) {
            throw new SumdbException("malformed tile path " + path);
        }
        int width = 1 << height;
        String dotP = f.get(f.size() - 2);
        if (dotP.endsWith(".p")) {
            width = smallNumber(f.get(f.size() - 1), path);
            if (width <= 0 || width >= 1 << height) {
                throw new SumdbException("malformed tile path " + path);
            }
            f.set(f.size() - 2, dotP.substring(0, dotP.length() - 2));
            f.remove(f.size() - 1);
        }
        long index = 0;
        List<String> groups = f.subList(3, f.size());
        for (int i = 0; i < groups.size(); i++) {
            String group = groups.get(i);
            boolean last = i == groups.size() - 1;
            if (!last) {
                if (!group.startsWith("x")) {
                    throw new SumdbException("malformed tile path " + path);
                }
                group = group.substring(1);
            }
            if (!group.matches("[0-9]{3}")) {
                throw new SumdbException("malformed tile path " + path);
            }
            if (index > (Long.MAX_VALUE - 999) / PATH_BASE) {
                throw new SumdbException("malformed tile path " + path);
            }
            index = index * PATH_BASE + Integer.parseInt(group);
        }
        Tile tile = new Tile(height, level, index, width);
        if (!tile.path().equals(path)) {
            throw new SumdbException("malformed tile path " + path);
        }
        return tile;
    }

    private static int smallNumber(String text, String path) throws SumdbException {
        if (!text.matches("[0-9]{1,9}")) {
            throw new SumdbException("malformed tile path " + path);
        }
        return Integer.parseInt(text);
    }
}
