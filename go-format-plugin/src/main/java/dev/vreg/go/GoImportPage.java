package dev.vreg.go;

import static dev.vreg.go.module.GoQuote.quote;

import dev.vreg.go.module.ModuleException;
import dev.vreg.go.module.ModulePath;
import dev.vreg.spi.DiscoveryPage;
import dev.vreg.spi.VregException;
import java.util.Map;
import java.util.Optional;

/**
 * The go command's discovery page for module paths under a registry's vanity prefixes. In direct mode
 * ({@code GOPROXY=direct}, or a path matching {@code GONOPROXY}/{@code GOPRIVATE}) go fetches
 * {@code https://<path>?go-get=1} for each candidate module path and reads {@code <meta name="go-import"
 * content="<root> mod <url>">}; {@code mod} makes {@code <url>} a GOPROXY for the module {@code <root>}. The root is
 * the requested path itself: each candidate go tries is then asked of the registry, which knows which of them are
 * modules, and go's check that the root's own page agrees holds by construction.
 */
final class GoImportPage {

    static final int MAX_PREFIX_LENGTH = 512;

    private GoImportPage() {
    }

    static Optional<String> prefixProblem(String prefix) {
        if (prefix.length() > MAX_PREFIX_LENGTH) {
            return Optional.of("module path prefix is longer than " + MAX_PREFIX_LENGTH + " characters");
        }
        String path = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        try {
            ModulePath.checkPath(path);
            return Optional.empty();
        } catch (ModuleException e) {
            return Optional.of("module path prefix " + quote(prefix) + " is not a module path: " + e.getMessage()
                    .replaceFirst("^malformed module path \"[^\"]*\": ", ""));
        }
    }

    static Optional<DiscoveryPage> answer(String name, Map<String, String> query, String registryUrl) {
        if (!"1".equals(query.get("go-get"))) {
            return Optional.empty();
        }
        try {
            ModulePath.checkImportPath(name);
        } catch (ModuleException e) {
            throw VregException.notFound(e.getMessage());
        }
        String content = attribute(name + " mod " + registryUrl);
        return Optional.of(new DiscoveryPage("text/html; charset=utf-8", """
                <!DOCTYPE html>
                <html>
                <head>
                <meta name="go-import" content="%s">
                </head>
                <body>go get %s: served by the Go registry at %s</body>
                </html>
                """.formatted(content, text(name), text(registryUrl))));
    }

    private static String attribute(String value) {
        return text(value).replace("\"", "&quot;");
    }

    private static String text(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
