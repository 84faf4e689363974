package dev.vreg.host.db.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The account the PostgreSQL processes run under. PostgreSQL refuses to run as root, so when vreg is root the tools
 * run as {@code nobody} through {@code setpriv}, and the files the server writes are handed to that user. Otherwise
 * they run as vreg's own user and nothing changes hands.
 */
final class ServerAccount {

    static final int NOBODY = 65534;

    private static final List<String> SETPRIV_LOCATIONS = List.of("/usr/bin/setpriv", "/bin/setpriv");

    private final String setpriv;

    private ServerAccount(String setpriv) {
        this.setpriv = setpriv;
    }

    static ServerAccount detect() throws IOException {
        if (Platform.effectiveUid() != 0) {
            return new ServerAccount(null);
        }
        String setpriv = SETPRIV_LOCATIONS.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst()
                .orElseThrow(() -> new IOException("vreg runs as root and PostgreSQL refuses to; vreg would run it as"
                        + " nobody with setpriv, but setpriv (util-linux) is not installed. Install util-linux or"
                        + " run vreg as a non-root user."));
        return new ServerAccount(setpriv);
    }

    boolean dropsRoot() {
        return setpriv != null;
    }

    /** The command line that runs {@code args} as the server account. */
    List<String> command(List<String> args) {
        if (setpriv == null) {
            return args;
        }
        List<String> command = new ArrayList<>(List.of(setpriv, "--reuid=" + NOBODY, "--regid=" + NOBODY,
                "--clear-groups", "--"));
        command.addAll(args);
        return command;
    }

    /** Hands a file or directory vreg created to the server account; the link itself, never its target. */
    void own(Path path) throws IOException {
        if (setpriv != null) {
            Files.setAttribute(path, "unix:uid", NOBODY, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:gid", NOBODY, LinkOption.NOFOLLOW_LINKS);
        }
    }

    /**
     * Hands a whole tree over when it belongs to someone else, which happens when a data directory created by an
     * earlier non-root run is now used by vreg running as root.
     */
    void ownTree(Path root) throws IOException {
        if (setpriv == null || (int) Files.getAttribute(root, "unix:uid", LinkOption.NOFOLLOW_LINKS) == NOBODY) {
            return;
        }
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path path : (Iterable<Path>) tree::iterator) {
                own(path);
            }
        }
    }

    /**
     * Makes sure the server account can reach {@code dataDir}. vreg owns that directory and opens it for traversal
     * by others; the directories above it belong to the operator, so a blocking one is reported, not changed.
     */
    void requireReachable(Path dataDir) throws IOException {
        if (setpriv == null) {
            return;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dataDir);
        if (permissions.add(PosixFilePermission.OTHERS_EXECUTE)) {
            Files.setPosixFilePermissions(dataDir, permissions);
        }
        // The check runs as nobody, so it sees what the server will see, ACLs and mount options included.
        List<String> args = new ArrayList<>(List.of("/bin/sh", "-c",
                "for d do cd \"$d\" 2>/dev/null || { printf '%s' \"$d\"; exit 3; }; done", "sh"));
        int firstDir = args.size();
        for (Path dir = dataDir; dir != null; dir = dir.getParent()) {
            args.add(firstDir, dir.toString());
        }
        Processes.Result result = Processes.runCaptured(command(args), Duration.ofSeconds(30));
        if (result.exitCode() == 3) {
            throw new IOException("vreg runs as root, so it runs PostgreSQL as the unprivileged user nobody (uid "
                    + NOBODY + "), which cannot reach the data directory " + dataDir + ": " + result.output()
                    + " does not let other users traverse it. Allow it (chmod o+x " + result.output() + "), choose"
                    + " a data directory on a path others can traverse, or run vreg as a non-root user.");
        }
        if (result.exitCode() != 0) {
            throw new IOException("vreg runs as root and could not switch to the user nobody (uid " + NOBODY
                    + ") with setpriv to run PostgreSQL (exit " + result.exitCode() + "): " + result.output()
                    + ". The process may lack CAP_SETUID/CAP_SETGID; run vreg as a non-root user instead.");
        }
    }

    /** Owner-only permissions for a file or directory the server account writes. */
    static Set<PosixFilePermission> privateMode(boolean directory) {
        return PosixFilePermissions.fromString(directory ? "rwx------" : "rw-------");
    }
}
