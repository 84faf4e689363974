/**
 * A GitLab REST API v4 stand-in for upstream tests: projects, tags, commits, raw files and repository archives served
 * from real git repositories a test builds with the {@code git} command, with GitLab's token checks and error bodies,
 * and the {@code go-import} pages that let the real go command fetch the same repositories directly.
 */
package dev.vreg.testkit.gitlab;
