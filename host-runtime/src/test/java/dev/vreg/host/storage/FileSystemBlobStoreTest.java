package dev.vreg.host.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.spi.storage.BlobSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemBlobStoreTest extends ManagedBlobStoreContract {

    @TempDir
    Path dir;

    @Override
    protected ManagedBlobStore store() {
        return FileSystemBlobStore.open(vertx(), dir);
    }

    @Test
    void blobsAreFilesUnderTheirDigestAndReadAsLocalFiles() {
        byte[] bytes = "module example.com/fs\n".getBytes(StandardCharsets.UTF_8);
        String digest = commit(bytes);
        Path expected = dir.resolve("sha256").resolve(digest.substring(0, 2)).resolve(digest);
        assertThat(expected).hasBinaryContent(bytes);
        assertThat(await(FileSystemBlobStore.open(vertx(), dir).open(digest, bytes.length)))
                .isEqualTo(new BlobSource.LocalFile(expected, digest, bytes.length));
    }

    @Test
    void openingTheStoreRemovesTemporaryFilesAPreviousRunLeftBehind() throws IOException {
        FileSystemBlobStore.open(vertx(), dir);
        Path leftover = Files.writeString(dir.resolve("tmp").resolve("crashed.part"), "half a zip");
        FileSystemBlobStore.open(vertx(), dir);
        assertThat(leftover).doesNotExist();
    }
}
