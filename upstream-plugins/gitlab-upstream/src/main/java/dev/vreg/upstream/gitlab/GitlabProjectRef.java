package dev.vreg.upstream.gitlab;

/**
 * A GitLab project a module path resolved to.
 *
 * @param id            GitLab's numeric id, used in every further request
 * @param path          the path with namespace, e.g. {@code group/proj}
 * @param codeRoot      the module path of the repository root, e.g. {@code gitlab.example.com/group/proj}
 * @param defaultBranch the project's default branch, or null for an empty repository
 */
record GitlabProjectRef(long id, String path, String codeRoot, String defaultBranch) {
}
