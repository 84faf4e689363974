/**
 * The vreg plugin SPI: the small, stable contract between the host runtime and its plugins.
 *
 * <p>Two extension points exist. A {@link dev.vreg.spi.FormatPlugin} teaches the host one package format
 * (what a request path means, how metadata from several upstreams is merged, how content is checked before it
 * is cached). An {@link dev.vreg.spi.UpstreamPlugin} teaches the host one kind of upstream source and opens
 * {@link dev.vreg.spi.UpstreamClient}s for configured upstreams.
 *
 * <p>Rules every plugin follows:
 * <ul>
 *   <li>Every I/O method returns a Vert.x {@link io.vertx.core.Future} and never blocks the calling event loop.
 *   <li>Failures are reported as a {@link dev.vreg.spi.VregException} carrying an {@link dev.vreg.spi.ErrorKind};
 *       the host alone maps kinds to HTTP status codes.
 *   <li>Bodies are streamed; a plugin never buffers a whole artifact in memory.
 *   <li>Plugins never touch the host's database; everything they need arrives through
 *       {@link dev.vreg.spi.PluginContext}.
 * </ul>
 */
package dev.vreg.spi;
