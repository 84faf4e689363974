/**
 * Checks of a packaged plugin archive as the host's PF4J loader sees it: {@link
 * dev.vreg.testkit.plugin.PluginArchiveContract}, run after {@code package} by every module that inherits the
 * {@code upstream-plugins} parent.
 */
package dev.vreg.testkit.plugin;
