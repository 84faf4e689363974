package dev.vreg.host.cli;

import dev.vreg.host.cache.CacheRepository;
import dev.vreg.host.cache.CachedFile;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.storage.StoredBlob;
import io.vertx.sqlclient.Pool;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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
     * One cached file whose blob is not what it records.
     *
     * @param blobBad the blob itself is missing, unreadable or damaged (else only the entry's size is wrong)
     */
    private record Bad(CachedFile file, boolean blobBad) {
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

    private int verify(VregConfig config, Pool pool) {
        if ("s3".equals(config.storage.type)) {
            throw new CommandFailure("verify-store reads the file system blob store; this configuration stores "
                    + "blobs in S3, whose objects are checked by the bucket itself");
        }
        Path root = config.blobDir().toAbsolutePath().normalize();
        if (!Files.isDirectory(root.resolve("sha256"))) {
            throw new CommandFailure("there is no blob store in " + root + "; give this command the same "
                    + "--config, --data-dir or VREG_STORAGE_PATH as 'vreg run'");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CacheRepository cache = new CacheRepository(pool);
        List<Bad> bad = new ArrayList<>();
        long entries = 0;
        long blobs = 0;
        String afterDigest = "";
        long afterId = 0;
        StoredBlob blob = null;
        while (true) {
            List<CachedFile> page = CommandDatabase.await(cache.contentPage(afterDigest, afterId, PAGE));
            for (CachedFile file : page) {
                entries++;
                afterDigest = file.blobDigest();
                afterId = file.id();
                if (blob == null || !blob.digest().equals(file.blobDigest())) {
                    blob = StoredBlob.inspect(root, file.blobDigest());
                    blobs++;
                }
                String problem = blob.problem(file.size());
                if (problem != null) {
                    bad.add(new Bad(file, !blob.intact()));
                    out.println("entry " + file.id() + " " + file.path() + " (upstream " + file.upstream() + "): "
                            + problem);
                }
            }
            if (page.size() < PAGE) {
                break;
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
        repair(cache, root, bad);
        err.println("vreg: " + checked + ", deleted; the next request for each fetches it again from its upstream");
        return 0;
    }

    /**
     * Deletes the bad entries and the blob rows nothing refers to any more in one transaction that tells running
     * nodes to forget their remembered hits, then the damaged files (unless a fetch has put one right meanwhile).
     */
    private static void repair(CacheRepository cache, Path root, List<Bad> bad) {
        Set<String> damaged = new LinkedHashSet<>();
        bad.stream().filter(Bad::blobBad).forEach(b -> damaged.add(b.file().blobDigest()));
        CommandDatabase.await(cache.removeBroken(bad.stream().map(Bad::file).toList(), damaged));
        for (String digest : damaged) {
            try {
                StoredBlob.deleteIfDamaged(root, digest);
            } catch (UncheckedIOException failed) {
                throw new CommandFailure("the bad entries are deleted, but blob " + digest + " could not be: "
                        + failed.getCause().getMessage());
            }
        }
    }
}
