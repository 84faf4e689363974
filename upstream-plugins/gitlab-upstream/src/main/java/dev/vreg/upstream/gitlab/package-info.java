/**
 * The GitLab upstream kind: Go modules hosted in GitLab projects, resolved through the GitLab REST API v4 alone
 * (projects, tags, commits, raw files and repository archives), with the go command's rules for module paths,
 * versions, pseudo-versions and module zips, so every answer is the one the go command would compute from the
 * repository itself.
 */
package dev.vreg.upstream.gitlab;
