package dev.vreg.go.checksumdb;

import dev.vreg.go.sumdb.SumdbException;
import dev.vreg.go.sumdb.Tile;

import dev.vreg.go.module.ModuleEscaping;
import dev.vreg.go.module.ModuleException;
import dev.vreg.spi.ChecksumDbRequest;
import dev.vreg.spi.ChecksumDbRequest.Kind;
import dev.vreg.spi.VregException;
import java.util.Optional;

/**
 * Reads the checksum database paths the go command sends to a GOPROXY that said it proxies a database
 * (cmd/go/internal/modfetch/sumdb.go): {@code sumdb/<name>/supported}, {@code sumdb/<name>/lookup/<module>@<version>},
 * {@code sumdb/<name>/tile/<H>/<L>/<N>[.p/<W>]} and {@code sumdb/<name>/latest}. A name is a host with an optional
 * path ({@code localhost.localdev/sumdb}), so the name ends where the first of these endpoints begins. Lookups and
 * tiles are rewritten in their one canonical spelling, which is also how they are cached.
 */
public final class SumdbPaths {

    private static final String PREFIX = "sumdb/";
    private static final String LOOKUP = "/lookup/";
    private static final String TILE = "/tile/";
    private static final String SUPPORTED = "/supported";
    private static final String LATEST = "/latest";

    private SumdbPaths() {
    }

    /**
     * @param path the request path below the registry, percent-decoded
     * @throws VregException NOT_FOUND for a path below {@code sumdb/} that names no endpoint, INVALID for a
     *                       malformed lookup or tile (the database itself answers those with 400)
     */
    public static Optional<ChecksumDbRequest> classify(String path) {
        if (!path.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String rest = path.substring(PREFIX.length());
        int lookup = rest.indexOf(LOOKUP);
        int tile = rest.indexOf(TILE);
        int cut = lookup < 0 ? tile : tile < 0 ? lookup : Math.min(lookup, tile);
        if (cut >= 0) {
            String name = name(rest.substring(0, cut));
            String endpoint = rest.substring(cut + 1);
            return Optional.of(cut == lookup ? lookup(name, endpoint) : tile(name, endpoint));
        }
        if (rest.endsWith(SUPPORTED)) {
            return Optional.of(new ChecksumDbRequest(name(rest.substring(0, rest.length() - SUPPORTED.length())),
                    Kind.SUPPORTED, "", null, false));
        }
        if (rest.endsWith(LATEST)) {
            return Optional.of(new ChecksumDbRequest(name(rest.substring(0, rest.length() - LATEST.length())),
                    Kind.LATEST, "latest", null, false));
        }
        throw VregException.notFound("not a checksum database path");
    }

    /** The lookup path of a module version's record, as the go command spells it. */
    public static String lookupPath(String module, String version) {
        return "lookup/" + ModuleEscaping.escapePath(module) + "@" + ModuleEscaping.escapeVersion(version);
    }

    private static String name(String name) {
        if (!isValidName(name)) {
            throw VregException.notFound("not a checksum database name: " + name);
        }
        return name;
    }

    /** {@code host[/path]}: no empty element, no white space, no {@code +}, no {@code @}. */
    static boolean isValidName(String name) {
        if (name.isEmpty() || name.startsWith("/") || name.endsWith("/") || name.contains("//")) {
            return false;
        }
        return name.chars().noneMatch(c -> c <= ' ' || c == '+' || c == '@' || c == 0x7f || c == '\\');
    }

    private static ChecksumDbRequest lookup(String name, String endpoint) {
        String target = endpoint.substring("lookup/".length());
        int at = target.indexOf('@');
        if (at <= 0 || at != target.lastIndexOf('@') || at == target.length() - 1) {
            throw VregException.invalid("invalid module@version syntax");
        }
        try {
            String module = ModuleEscaping.unescapePath(target.substring(0, at));
            String version = ModuleEscaping.unescapeVersion(target.substring(at + 1));
            return new ChecksumDbRequest(name, Kind.LOOKUP, lookupPath(module, version), module, false);
        } catch (ModuleException e) {
            throw VregException.invalid(e.getMessage());
        }
    }

    private static ChecksumDbRequest tile(String name, String endpoint) {
        try {
            Tile tile = Tile.parse(endpoint);
            return new ChecksumDbRequest(name, Kind.TILE, tile.path(), null, !tile.isPartial());
        } catch (SumdbException e) {
            throw VregException.invalid("invalid tile syntax");
        }
    }
}
