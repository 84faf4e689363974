package dev.vreg.host.cli;

import dev.vreg.host.config.VregConfig;
import dev.vreg.host.storage.StoredBlob;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vreg verify-store}: checks every cached file against the blob store (there, of its recorded size, hashing
 * to its digest) and lists the bad ones; {@code --repair} deletes them, so the next request fetches each again.
 * Entries are read in pages by (digest, id), so a blob shared by several entries is read once and no transaction
 * stays open while blobs are hashed.
 */
@Command(name = "verify-store", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check that every cached file's blob is in the blob store, of the size recorded for it, with "
                + "bytes that hash to its digest; list each bad one on standard output.",
                "With --repair, delete the bad cache entries, and their blob when the blob itself is damaged: the "
                        + "next request for such a file fetches it again from its upstream (the repair is a refetch; "
                        + "nothing is rebuilt from the damaged copy)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every cached file is intact, or every bad one was deleted by --repair",
                "1:the check could not be made (no database, no blob store)",
                "2:invalid arguments or configuration",
                "3:bad cached files were found and left as they are"})
final class VerifyStoreCommand implements Callable<Integer> {

    static final int BAD_FILES_LEFT = 3;
    private static final int PAGE = 500;

    /**
     * One cache entry whose blob is not what it records.
     *
     * @param blobBad the blob itself is missing, unreadable or damaged (else only the entry's size is wrong)
     */
    private record Bad(long entryId, String path, String upstream, String digest, boolean blobBad, String problem) {
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--repair", description = "Delete the bad entries (and damaged blobs) so they are fetched again")
    boolean repair;

    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() {
        return CommandDatabase.run(options, spec,
                "DELETE /api/v1/groups/{group}/upstreams/{id}/cache/{entryId} for each bad file", this::verify);
    }

    private int verify(VregConfig config, Connection connection) throws SQLException {
        Path root = config.blobDir().toAbsolutePath().normalize();
        if (!Files.isDirectory(root.resolve("sha256"))) {
            throw new CommandFailure("there is no blob store in " + root + "; give this command the same "
                    + "--config, --data-dir or VREG_STORAGE_PATH as 'vreg run'");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Bad> bad = new ArrayList<>();
        long entries = 0;
        long blobs = 0;
        String afterDigest = "";
        long afterId = 0;
        StoredBlob blob = null;
        try (PreparedStatement page = connection.prepareStatement("""
                SELECT c.id, c.path, c.blob_digest, c.size, u.name AS upstream
                  FROM cache_entries c JOIN upstreams u ON u.id = c.upstream_id
                 WHERE c.kind = 'CONTENT' AND (c.blob_digest, c.id) > (?, ?)
                 ORDER BY c.blob_digest, c.id LIMIT ?""")) {
            while (true) {
                page.setString(1, afterDigest);
                page.setLong(2, afterId);
                page.setInt(3, PAGE);
                int rowsInPage = 0;
                try (ResultSet rows = page.executeQuery()) {
                    while (rows.next()) {
                        rowsInPage++;
                        entries++;
                        afterDigest = rows.getString("blob_digest");
                        afterId = rows.getLong("id");
                        if (blob == null || !blob.digest().equals(afterDigest)) {
                            blob = StoredBlob.inspect(root, afterDigest);
                            blobs++;
                        }
                        String problem = blob.problem(rows.getLong("size"));
                        if (problem != null) {
                            Bad one = new Bad(afterId, rows.getString("path"), rows.getString("upstream"),
                                    afterDigest, !blob.intact(), problem);
                            bad.add(one);
                            out.println("entry " + one.entryId() + " " + one.path() + " (upstream " + one.upstream()
                                    + "): " + one.problem());
                        }
                    }
                }
                if (rowsInPage < PAGE) {
                    break;
                }
            }
        }
        out.flush();
        String checked = "checked " + entries + " cached files in " + blobs + " blobs: " + bad.size() + " bad";
        if (bad.isEmpty()) {
            err.println("vreg: " + checked);
            return 0;
        }
        if (!repair) {
            err.println("vreg: " + checked + "; 'vreg verify-store --repair' deletes them, and the next request for "
                    + "each fetches it again");
            return BAD_FILES_LEFT;
        }
        repair(connection, root, bad);
        err.println("vreg: " + checked + ", deleted; the next request for each fetches it again from its upstream");
        return 0;
    }

    /**
     * Deletes the bad entries and the blob rows nothing refers to any more in one transaction that tells running
     * nodes to forget their remembered hits, then the damaged files (unless a fetch has put one right meanwhile).
     */
    private static void repair(Connection connection, Path root, List<Bad> bad) throws SQLException {
        Map<String, List<Bad>> byDigest = new LinkedHashMap<>();
        bad.forEach(b -> byDigest.computeIfAbsent(b.digest(), d -> new ArrayList<>()).add(b));
        connection.setAutoCommit(false);
        try (PreparedStatement entries = connection.prepareStatement(
                "DELETE FROM cache_entries WHERE id = ANY(?) AND kind = 'CONTENT' AND blob_digest = ?");
             PreparedStatement blobRow = connection.prepareStatement("""
                     DELETE FROM blobs b WHERE b.digest = ?
                        AND NOT EXISTS (SELECT 1 FROM cache_entries c WHERE c.blob_digest = b.digest)""");
             Statement notify = connection.createStatement()) {
            for (Map.Entry<String, List<Bad>> e : byDigest.entrySet()) {
                Long[] ids = e.getValue().stream().map(Bad::entryId).toArray(Long[]::new);
                entries.setArray(1, connection.createArrayOf("bigint", ids));
                entries.setString(2, e.getKey());
                entries.executeUpdate();
                if (e.getValue().get(0).blobBad()) {
                    blobRow.setString(1, e.getKey());
                    blobRow.executeUpdate();
                }
            }
            notify.execute("NOTIFY vreg_config");
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
        for (Map.Entry<String, List<Bad>> e : byDigest.entrySet()) {
            if (e.getValue().get(0).blobBad()) {
                try {
                    StoredBlob.deleteIfDamaged(root, e.getKey());
                } catch (UncheckedIOException failed) {
                    throw new CommandFailure("the bad entries are deleted, but blob " + e.getKey() + " could not be: "
                            + failed.getCause().getMessage());
                }
            }
        }
    }
}
