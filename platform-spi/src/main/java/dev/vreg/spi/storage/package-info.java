/**
 * Blob storage: the contract of the store that holds the host's cached bytes
 * ({@link dev.vreg.spi.storage.BlobStore}), in the SPI so that storage backends (the file system in the host, an
 * S3-compatible object store) can live outside the host.
 */
package dev.vreg.spi.storage;
