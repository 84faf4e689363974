package dev.vreg.testkit.gitlab;

/**
 * One project of the stand-in.
 *
 * @param id         GitLab's numeric project id
 * @param path       the path with namespace, e.g. {@code group/sub/proj}
 * @param repository where its git repository is
 * @param isPublic   whether requests without credentials may read it
 */
public record GitLabProject(int id, String path, GitRepository repository, boolean isPublic) {

    /** The last element of the path, GitLab's {@code path}. */
    public String name() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    public String namespace() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }
}
