package dev.vreg.testkit.gitlab;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may read what on the stand-in, decided the way GitLab does: requests without credentials see public projects
 * only; credentials that match no token are refused with 401 everywhere; a token without an API-reading scope gets
 * GitLab's 403 {@code insufficient_scope}; a project the token cannot see is "404 Project Not Found", as GitLab hides
 * private projects rather than admitting they exist.
 */
final class GitLabAccess {

    /** One token: personal, group or project access tokens travel as {@code PRIVATE-TOKEN} or Bearer, deploy tokens as Basic. */
    record Token(String kind, String username, String secret, Set<String> scopes, List<String> namespaces) {

        boolean canRead(String projectPath) {
            for (String ns : namespaces) {
                if (ns.isEmpty() || projectPath.equals(ns) || projectPath.startsWith(ns + "/")) {
                    return true;
                }
            }
            return false;
        }

        boolean mayUseApi() {
            return scopes.contains("api") || scopes.contains("read_api") || scopes.contains("read_repository");
        }
    }

    /** What the credentials of one request turned out to be. */
    record Caller(boolean presented, Token token) {

        boolean rejected() {
            return presented && token == null;
        }
    }

    private final Map<String, Token> bySecret = new ConcurrentHashMap<>();

    void add(Token token) {
        bySecret.put(token.secret(), token);
    }

    /** Reads {@code PRIVATE-TOKEN}, {@code Authorization: Bearer} or a deploy token as {@code Authorization: Basic}. */
    Caller identify(String privateToken, String authorization) {
        if (privateToken != null) {
            return new Caller(true, lookup(privateToken, null));
        }
        if (authorization == null) {
            return new Caller(false, null);
        }
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return new Caller(true, lookup(authorization.substring(7).trim(), null));
        }
        if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String pair;
            try {
                pair = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                        StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return new Caller(true, null);
            }
            int colon = pair.indexOf(':');
            if (colon < 0) {
                return new Caller(true, null);
            }
            return new Caller(true, lookup(pair.substring(colon + 1), pair.substring(0, colon)));
        }
        return new Caller(true, null);
    }

    private Token lookup(String secret, String username) {
        Token token = bySecret.get(secret);
        if (token == null) {
            return null;
        }
        if (username != null && token.username() != null && !token.username().equals(username)) {
            return null;
        }
        return token;
    }
}
