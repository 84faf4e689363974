/**
 * The blob store contract: {@link dev.vreg.testkit.storage.BlobStoreContract}, the suite every
 * {@link dev.vreg.spi.storage.BlobStore} backend extends (the file system store in the host, an S3 store).
 */
package dev.vreg.testkit.storage;
