package dev.vreg.go.zip;

import static dev.vreg.go.module.GoQuote.quote;

import java.util.HashMap;
import java.util.Map;

/**
 * Finds names that would land on the same file of a case-insensitive file system, and names used both as a file
 * and as a directory; either would make the module extract differently on different machines.
 */
final class CollisionChecker {

    private record Seen(String path, boolean dir) {
    }

    private final Map<String, Seen> seen = new HashMap<>();

    /** Records {@code path} and its parent directories; returns the reason it collides, or null. */
    String add(String path, boolean dir) {
        while (true) {
            String key = CaseFold.key(path);
            Seen other = seen.get(key);
            if (other == null) {
                seen.put(key, new Seen(path, dir));
            } else if (!other.path.equals(path)) {
                return "case-insensitive file name collision: " + quote(other.path) + " and " + quote(path);
            } else if (other.dir != dir) {
                return "entry " + quote(path) + " is both a file and a directory";
            } else if (!dir) {
                return "multiple entries for file " + quote(path);
            } else {
                // Parents were recorded when this directory was first seen.
                return null;
            }
            int slash = path.lastIndexOf('/');
            if (slash < 0) {
                return null;
            }
            path = path.substring(0, slash);
            dir = true;
        }
    }
}
