package dev.vreg.host.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storage settings from the file and the environment, and the stores that cannot work refused at start. */
class StorageConfigTest {

    @TempDir
    Path dir;

    @Test
    void theFileSystemIsTheDefault() {
        VregConfig config = new ConfigLoader(Map.of()).load(null);
        assertThat(config.storage.type).isEqualTo("filesystem");
        assertThat(config.storage.collection.interval).isEqualTo(Duration.ofHours(1));
        assertThat(config.storage.collection.grace).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void anS3BucketFromTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("vreg.yaml"), """
                storage:
                  type: s3
                  s3:
                    bucket: cache
                    prefix: prod/
                    endpoint: https://minio.internal:9000
                    region: eu-central-1
                    pathStyle: true
                    partSize: 8388608
                    presignedRedirects: true
                    presignValidity: 2m
                  collection:
                    interval: 30m
                    grace: 2h
                """);
        VregConfig config = new ConfigLoader(Map.of()).load(file);
        VregConfig.S3 s3 = config.storage.s3;
        assertThat(config.storage.type).isEqualTo("s3");
        assertThat(s3.bucket).isEqualTo("cache");
        assertThat(s3.prefix).isEqualTo("prod/");
        assertThat(s3.endpoint).isEqualTo("https://minio.internal:9000");
        assertThat(s3.region).isEqualTo("eu-central-1");
        assertThat(s3.pathStyle).isTrue();
        assertThat(s3.partSize).isEqualTo(8L << 20);
        assertThat(s3.presignedRedirects).isTrue();
        assertThat(s3.presignValidity).isEqualTo(Duration.ofMinutes(2));
        assertThat(s3.accessKeyId).isNull();
        assertThat(config.storage.collection.interval).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.storage.collection.grace).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void anS3BucketFromTheEnvironment() {
        VregConfig config = new ConfigLoader(Map.of("VREG_STORAGE_TYPE", "s3", "VREG_S3_BUCKET", "cache",
                "VREG_S3_ENDPOINT", "http://127.0.0.1:9000", "VREG_S3_PATH_STYLE", "true",
                "VREG_S3_ACCESS_KEY_ID", "AKIDEXAMPLE", "VREG_S3_SECRET_ACCESS_KEY", "secret",
                "VREG_S3_PRESIGNED_REDIRECTS", "true", "VREG_STORAGE_COLLECTION_INTERVAL", "0s",
                "VREG_STORAGE_COLLECTION_GRACE", "45m")).load(null);
        assertThat(config.storage.type).isEqualTo("s3");
        assertThat(config.storage.s3.bucket).isEqualTo("cache");
        assertThat(config.storage.s3.endpoint).isEqualTo("http://127.0.0.1:9000");
        assertThat(config.storage.s3.pathStyle).isTrue();
        assertThat(config.storage.s3.accessKeyId).isEqualTo("AKIDEXAMPLE");
        assertThat(config.storage.s3.secretAccessKey).isEqualTo("secret");
        assertThat(config.storage.s3.presignedRedirects).isTrue();
        assertThat(config.storage.collection.interval).isZero();
        assertThat(config.storage.collection.grace).isEqualTo(Duration.ofMinutes(45));
    }

    @Test
    void storesThatCannotWorkAreRefused() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of("VREG_STORAGE_TYPE", "gcs")).load(null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("must be filesystem or s3, got 'gcs'");
        assertThatThrownBy(() -> new ConfigLoader(Map.of("VREG_STORAGE_TYPE", "s3")).load(null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("storage.s3.bucket (VREG_S3_BUCKET)");
        assertThatThrownBy(() -> new ConfigLoader(Map.of("VREG_STORAGE_TYPE", "s3", "VREG_S3_BUCKET", "b",
                "VREG_S3_ACCESS_KEY_ID", "AKIDEXAMPLE")).load(null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("set together")
                .hasMessageNotContaining("AKIDEXAMPLE");
        assertThatThrownBy(() -> new ConfigLoader(Map.of("VREG_STORAGE_COLLECTION_GRACE", "0s")).load(null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("storage.collection.grace");
    }

    @Test
    void partsSmallerThanS3AcceptsAreRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("small.yaml"), """
                storage:
                  type: s3
                  s3:
                    bucket: cache
                    partSize: 1048576
                """);
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("at least 5 MiB");
    }
}
