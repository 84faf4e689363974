package dev.vreg.host.sumdb;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/**
 * A Go registry's checksum database settings.
 *
 * @param verification    what happens to a file the first database does not confirm
 * @param databases       the databases answered as supported, the first one verifying; never empty
 * @param privatePatterns module path patterns (GONOSUMDB/GOPRIVATE globs) whose lookups are refused and whose
 *                        files are not verified: their names must not leave vreg
 * @param answerValidity  how long the latest tree, partial tiles and lookups are reused before the database is asked
 *                        again; full tiles are kept for good
 */
public record ChecksumSettings(Verification verification, List<ChecksumDb> databases, List<String> privatePatterns,
                               Duration answerValidity) {

    /** The go command's own default database. */
    public static final String SUM_GOLANG_ORG_KEY =
            "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8";

    public static final ChecksumSettings DEFAULT = new ChecksumSettings(Verification.OFF,
            List.of(new ChecksumDb("sum.golang.org", SUM_GOLANG_ORG_KEY, null)), List.of(), Duration.ofMinutes(1));

    public ChecksumSettings {
        databases = List.copyOf(databases);
        privatePatterns = List.copyOf(privatePatterns);
    }

    /** The database named {@code name}, or {@code null} when the registry does not proxy it. */
    public ChecksumDb database(String name) {
        return databases.stream().filter(d -> d.name().equals(name)).findFirst().orElse(null);
    }

    public JsonObject json() {
        JsonArray dbs = new JsonArray();
        databases.forEach(d -> dbs.add(d.json()));
        return new JsonObject().put("verification", verification.id()).put("databases", dbs)
                .put("privatePatterns", new JsonArray(privatePatterns))
                .put("answerValiditySeconds", answerValidity.toSeconds());
    }
}
