package dev.vreg.host.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.spi.storage.BlobStore;
import dev.vreg.testkit.storage.BlobStoreContract;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The blob store contract plus what the host itself asks of its stores: listing every blob however many there are
 * (S3 answers at most 1000 keys a page), removing what interrupted fetches left, and a readiness probe.
 */
public abstract class ManagedBlobStoreContract extends BlobStoreContract {

    @Override
    protected abstract ManagedBlobStore store() throws Exception;

    /** The store of the current test. */
    protected final ManagedBlobStore managed() {
        return (ManagedBlobStore) blobStore();
    }

    @AfterEach
    final void closeStore() {
        BlobStore store = blobStore();
        if (store instanceof ManagedBlobStore m) {
            m.close();
        }
    }

    @Test
    void listingGoesPastAThousandBlobsInDigestOrder() {
        TreeSet<String> committed = new TreeSet<>();
        int count = 1_003;
        for (int batch = 0; batch < count; batch += 50) {
            List<Future<Void>> commits = new ArrayList<>();
            for (int i = batch; i < Math.min(count, batch + 50); i++) {
                byte[] bytes = ("blob number " + i + "\n").getBytes(StandardCharsets.UTF_8);
                String digest = dev.vreg.host.storage.Hashes.sha256Hex(bytes);
                committed.add(digest);
                commits.add(managed().commit(writeTemp(bytes), digest));
            }
            commits.forEach(this::await);
        }
        List<String> listed = new ArrayList<>();
        String after = "";
        while (true) {
            List<ManagedBlobStore.StoredObject> page = await(managed().list(after, 1000));
            if (page.isEmpty()) {
                break;
            }
            page.forEach(object -> {
                listed.add(object.digest());
                assertThat(object.size()).isPositive();
            });
            after = page.get(page.size() - 1).digest();
        }
        assertThat(listed).hasSize(count).containsExactlyElementsOf(committed);
        assertThat(await(managed().list(committed.first(), 2))).extracting(ManagedBlobStore.StoredObject::digest)
                .containsExactlyElementsOf(committed.stream().skip(1).limit(2).toList());
    }

    @Test
    void leftoverTemporaryFilesOlderThanTheCutOffAreRemoved() throws Exception {
        Path old = writeTemp("half of an old download".getBytes(StandardCharsets.UTF_8));
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minusSeconds(3600)));
        Path fresh = writeTemp("a download in progress".getBytes(StandardCharsets.UTF_8));
        ManagedBlobStore.Leftovers removed = await(managed().removeLeftovers(Instant.now().minusSeconds(60)));
        assertThat(removed.temporaryFiles()).isEqualTo(1);
        assertThat(removed.temporaryBytes()).isEqualTo("half of an old download".length());
        assertThat(old).doesNotExist();
        assertThat(fresh).exists();
    }

    @Test
    void theProbeSucceedsOnAWorkingStore() {
        await(managed().probe());
    }
}
