package dev.vreg.spi;

/**
 * Decrypted upstream credentials. Either a user name and password (HTTP Basic) or a token (sent the way the upstream
 * kind expects). {@link #toString()} never prints secrets.
 */
public record Credentials(String username, String password, String token) {

    public static Credentials basic(String username, String password) {
        return new Credentials(username, password, null);
    }

    public static Credentials token(String token) {
        return new Credentials(null, null, token);
    }

    public boolean hasBasic() {
        return password != null;
    }

    public boolean hasToken() {
        return token != null;
    }

    @Override
    public String toString() {
        return "Credentials[username=" + username + ", password=" + (password == null ? "unset" : "****")
                + ", token=" + (token == null ? "unset" : "****") + "]";
    }
}
