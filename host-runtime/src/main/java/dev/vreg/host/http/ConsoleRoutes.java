package dev.vreg.host.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The web console under {@code /ui/}: a single-page app the console module builds into the classpath folder
 * {@value #ROOT}. Its hashed assets never change under a name, so they are cached for a year; {@code index.html}
 * is revalidated on every load, so a new build reaches browsers at once. Any other path below {@code /ui/} is a
 * route of the app and gets {@code index.html} too; {@code /} sends browsers to the console.
 */
public final class ConsoleRoutes {

    /** Where the built console lies on the classpath. */
    public static final String ROOT = "vreg-console";

    static final String INDEX = ROOT + "/index.html";
    private static final int YEAR_SECONDS = 365 * 24 * 3600;
    private static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    private ConsoleRoutes() {
    }

    public static void mount(Vertx vertx, Router router) {
        router.route(HttpMethod.GET, "/").handler(ctx -> redirect(ctx, "/ui/"));
        router.route(HttpMethod.HEAD, "/").handler(ctx -> redirect(ctx, "/ui/"));
        router.route(HttpMethod.GET, "/ui").handler(ctx -> redirect(ctx, "/ui/"));
        router.route("/ui/assets/*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ConsoleRoutes::headers)
                .handler(StaticHandler.create(ROOT + "/assets")
                        .setCachingEnabled(true)
                        .setMaxAgeSeconds(YEAR_SECONDS)
                        .setDirectoryListing(false)
                        .setIncludeHidden(false)
                        .setDefaultContentEncoding("UTF-8"))
                // A missing asset is a real 404: answering index.html would hand a script tag HTML.
                .handler(ctx -> notFound(ctx));
        router.route("/ui/*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> index(vertx, ctx));
    }

    private static void redirect(RoutingContext ctx, String location) {
        ctx.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, location)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache").end();
    }

    private static void headers(RoutingContext ctx) {
        ctx.response().putHeader("X-Content-Type-Options", "nosniff");
        ctx.next();
    }

    private static void index(Vertx vertx, RoutingContext ctx) {
        vertx.fileSystem().readFile(INDEX).onComplete(read -> {
            if (read.failed()) {
                notFound(ctx);
                return;
            }
            ctx.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                    .putHeader("Content-Security-Policy", POLICY)
                    .putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("Referrer-Policy", "no-referrer");
            if (ctx.request().method() == HttpMethod.HEAD) {
                ctx.response().putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(read.result().length())).end();
            } else {
                ctx.response().end(read.result());
            }
        });
    }

    private static void notFound(RoutingContext ctx) {
        ctx.response().setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(ctx.normalizedPath().startsWith("/ui/assets/") ? "no such console asset\n"
                        : "the web console is not part of this build\n");
    }
}
