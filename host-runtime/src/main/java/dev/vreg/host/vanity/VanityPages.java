package dev.vreg.host.vanity;

import dev.vreg.host.http.ErrorResponder;
import dev.vreg.host.vertx.CallerContext;
import dev.vreg.spi.FormatPlugin;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Discovery pages for names under the registries' vanity prefixes: a GET with a query whose host and path (the
 * name, e.g. {@code go.acme.example/tools/lint}) fall under a prefix is answered with the page the registry's format
 * makes ({@link FormatPlugin#discoveryPage}). The page names only the registry's URL, which the prefix publishes, so
 * it needs no credentials, as go asks for it before it knows where to send them; the registry itself still does.
 * Every other request passes on untouched, and one without a query costs nothing here.
 */
public final class VanityPages implements Handler<RoutingContext> {

    private final VanityDirectory directory;
    private final Map<String, FormatPlugin> formats;
    private final Supplier<String> baseUrl;

    /** @param baseUrl the external base URL of vreg the pages point at, asked at each request */
    public VanityPages(VanityDirectory directory, Map<String, FormatPlugin> formats, Supplier<String> baseUrl) {
        this.directory = directory;
        this.formats = formats;
        this.baseUrl = baseUrl;
    }

    public void mount(Router router) {
        router.get().handler(this);
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        HostAndPort authority = request.authority();
        if (request.query() == null || request.query().isEmpty() || authority == null) {
            ctx.next();
            return;
        }
        String name = (authority.host().toLowerCase(Locale.ROOT) + request.path()).replaceAll("/+$", "");
        // Held while the prefixes are looked up, so that a body handler further on still finds the request unread.
        request.pause();
        CallerContext.bind(directory.find(name)).onComplete(found -> {
            request.resume();
            if (found.failed() || found.result().isEmpty()) {
                ctx.next();
                return;
            }
            VanityStore.Claim claim = found.result().get();
            FormatPlugin format = formats.get(claim.format());
            if (format == null) {
                ctx.next();
                return;
            }
            Map<String, String> query = new LinkedHashMap<>();
            request.params().forEach(entry -> query.putIfAbsent(entry.getKey(), entry.getValue()));
            String registryUrl = baseUrl.get() + "/" + claim.format() + "/" + claim.group() + "/" + claim.registry();
            try {
                format.discoveryPage(name, query, registryUrl).ifPresentOrElse(page -> ctx.response()
                        .putHeader(HttpHeaders.CONTENT_TYPE, page.contentType())
                        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                        .end(page.body()), ctx::next);
            } catch (RuntimeException e) {
                ErrorResponder.send(ctx.response(), e);
            }
        });
    }
}
