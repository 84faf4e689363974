package dev.vreg.upstream.gitlab;

import dev.vreg.spi.AddressNotAllowedException;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeoutException;

/**
 * GETs from one GitLab instance's REST API v4 with the configured credentials. Answers other than 200 become
 * {@link VregException}s whose messages say what to do and never contain the credentials; redirects are not
 * followed, so the credentials reach only the configured origin.
 */
final class GitlabApi {

    /** A 200 answer read whole: JSON and raw files, each below a size limit. */
    record Answer(MultiMap headers, Buffer body) {

        JsonObject json() {
            return new JsonObject(body);
        }
    }

    private final HttpClient http;
    private final Vertx vertx;
    private final String apiRoot;
    private final String display;
    private final GitlabAuth auth;
    private final long readTimeoutMillis;
    private final long deadlineMillis;

    GitlabApi(HttpClient http, Vertx vertx, URI url, GitlabAuth auth, long readTimeoutMillis, long deadlineMillis) {
        this.http = http;
        this.vertx = vertx;
        String base = url.toString().replaceAll("/+$", "");
        this.apiRoot = base + "/api/v4";
        this.display = url.getScheme() + "://" + url.getAuthority();
        this.auth = auth;
        this.readTimeoutMillis = readTimeoutMillis;
        this.deadlineMillis = deadlineMillis;
    }

    /** The instance, for messages: scheme, host and port only. */
    String display() {
        return display;
    }

    GitlabAuth auth() {
        return auth;
    }

    /** One path segment (a project path, a file path, a ref) as GitLab wants it: every {@code /} as {@code %2F}. */
    static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** GETs {@code path} (below {@code /api/v4}) and reads a 200 answer of at most {@code maxBytes}. */
    Future<Answer> get(String path, long maxBytes, String what) {
        return send(path).compose(response -> {
            if (response.statusCode() != 200) {
                return refuse(response, what);
            }
            Promise<Answer> done = Promise.promise();
            Buffer body = Buffer.buffer();
            response.exceptionHandler(e -> done.tryFail(transport(e, what)));
            response.handler(chunk -> {
                if (body.length() + chunk.length() > maxBytes) {
                    done.tryFail(new VregException(ErrorKind.UPSTREAM_INVALID, "GitLab at " + display + " sent more than "
                            + maxBytes + " bytes for " + what));
                    response.request().reset();
                    return;
                }
                body.appendBuffer(chunk);
            });
            response.endHandler(v -> done.tryComplete(new Answer(response.headers(), body)));
            response.resume();
            return done.future();
        });
    }

    /** GETs {@code path} and writes a 200 answer to {@code file}, failing when it is larger than {@code maxBytes}. */
    Future<Long> download(String path, String file, long maxBytes, String what) {
        return send(path).compose(response -> {
            if (response.statusCode() != 200) {
                return refuse(response, what);
            }
            return vertx.fileSystem().open(file, new OpenOptions().setWrite(true).setCreate(true)
                    .setTruncateExisting(true)).compose(out -> copy(response, out, maxBytes, what), opening -> {
                        response.request().reset();
                        return Future.failedFuture(new VregException(ErrorKind.STORAGE_UNAVAILABLE,
                                "the temporary file for " + what + " could not be created", opening));
                    });
        });
    }

    private Future<Long> copy(HttpClientResponse response, AsyncFile out, long maxBytes, String what) {
        Promise<Long> done = Promise.promise();
        long[] count = {0};
        response.exceptionHandler(e -> out.close().onComplete(v -> done.tryFail(transport(e, what))));
        response.handler(chunk -> {
            count[0] += chunk.length();
            if (count[0] > maxBytes) {
                response.request().reset();
                out.close().onComplete(v -> done.tryFail(new VregException(ErrorKind.TOO_LARGE, "GitLab at "
                        + display + " sent more than " + maxBytes + " bytes for " + what)));
                return;
            }
            out.write(chunk);
            if (out.writeQueueFull()) {
                response.pause();
                out.drainHandler(v -> response.resume());
            }
        });
        response.endHandler(v -> out.close().onComplete(c -> {
            if (c.failed()) {
                done.tryFail(new VregException(ErrorKind.STORAGE_UNAVAILABLE,
                        "the temporary file for " + what + " could not be written", c.cause()));
            } else {
                done.tryComplete(count[0]);
            }
        }));
        response.resume();
        return done.future();
    }

    /**
     * GETs {@code path}, following one redirect of a moved project: GitLab answers a request naming a renamed or
     * transferred project by its old path with {@code 301} and the same request naming the project by id. Only such a
     * location is followed (same scheme, host and port, below {@code /api/v4/projects/<id>}), so the credentials
     * never leave the instance; any other redirect is answered as it came.
     */
    private Future<HttpClientResponse> send(String path) {
        return sendTo(apiRoot + path).compose(response -> {
            String moved = movedProject(response);
            if (moved == null) {
                return Future.succeededFuture(response);
            }
            return body(response).transform(drained -> sendTo(moved));
        });
    }

    private String movedProject(HttpClientResponse response) {
        int status = response.statusCode();
        String location = response.getHeader("Location");
        if ((status != 301 && status != 308) || location == null) {
            return null;
        }
        try {
            URI target = URI.create(apiRoot).resolve(location);
            URI root = URI.create(apiRoot);
            boolean sameOrigin = root.getScheme().equalsIgnoreCase(target.getScheme())
                    && root.getHost().equalsIgnoreCase(target.getHost()) && port(root) == port(target);
            String rest = target.getRawPath() == null ? "" : target.getRawPath();
            boolean byId = rest.startsWith(root.getRawPath() + "/projects/")
                    && rest.substring(root.getRawPath().length() + 10).matches("\\d+(/.*)?");
            return sameOrigin && byId ? target.toString() : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private Future<HttpClientResponse> sendTo(String absoluteUri) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setAbsoluteURI(absoluteUri)
                .setIdleTimeout(readTimeoutMillis)
                .setFollowRedirects(false);
        options.putHeader("Accept", "application/json");
        if (auth.present()) {
            options.putHeader(auth.header(), auth.value());
        }
        return http.request(options).compose(request -> {
            long timer = vertx.setTimer(deadlineMillis, t -> request.reset(0, new TimeoutException("deadline")));
            // Paused in the dispatch that delivers the head: the listeners down the chain may run on another context
            // after Vert.x delivered the body, and each reader resumes once its handlers are set.
            request.response().onSuccess(HttpClientResponse::pause);
            // The deadline covers connecting and the answer's head; a body that falls silent meets the idle timeout.
            return request.send().andThen(r -> vertx.cancelTimer(timer));
        }).recover(e -> Future.failedFuture(transport(e, absoluteUri.startsWith(apiRoot)
                ? absoluteUri.substring(apiRoot.length()) : "a moved project")));
    }

    private <T> Future<T> refuse(HttpClientResponse response, String what) {
        int status = response.statusCode();
        String retryAfter = response.getHeader("Retry-After");
        return body(response).transform(body -> {
            String said = gitlabMessage(body.succeeded() ? body.result() : null);
            return Future.failedFuture(status(status, what, said, retryAfter));
        });
    }

    /** The whole body of a paused response. */
    private static Future<Buffer> body(HttpClientResponse response) {
        Future<Buffer> body = response.body();
        response.resume();
        return body;
    }

    /** The failure for a status GitLab answered; {@code said} is GitLab's own message, which holds no secret. */
    VregException status(int status, String what, String said, String retryAfter) {
        String answered = "GitLab at " + display + " answered " + status + (said.isEmpty() ? "" : " (" + said + ")")
                + " for " + what;
        return switch (status) {
            case 404 -> new VregException(ErrorKind.NOT_FOUND, answered);
            case 301, 302, 303, 307, 308 -> new VregException(ErrorKind.UPSTREAM_UNAVAILABLE, answered
                    + ", a redirect vreg does not follow: only a moved project's redirect to its id on the same "
                    + "instance is followed, so the credentials never reach another host");
            case 401 -> new VregException(ErrorKind.UNAUTHORIZED, answered + (auth.present()
                    ? "; it refused the configured " + auth.kind() + ": it is wrong, expired or revoked"
                    : "; it needs a token, and none is configured"));
            case 403 -> new VregException(ErrorKind.FORBIDDEN, answered + (auth.present()
                    ? "; the configured " + auth.kind() + " may not read it: it needs the read_api scope "
                    + "(read_repository for a deploy token) and at least the Reporter role"
                    : "; it refused access (no token is configured)"));
            case 429 -> withRetry(new VregException(ErrorKind.UPSTREAM_UNAVAILABLE,
                    answered + "; it is limiting the request rate, try again later"), retryAfter);
            default -> withRetry(new VregException(ErrorKind.UPSTREAM_UNAVAILABLE, status >= 500
                    ? answered + "; GitLab is failing, try again later"
                    : answered + ", which is not an answer of the GitLab API; check the upstream URL"), retryAfter);
        };
    }

    private static VregException withRetry(VregException e, String retryAfter) {
        if (retryAfter != null && retryAfter.matches("\\d{1,6}")) {
            return e.withRetryAfter(java.time.Duration.ofSeconds(Long.parseLong(retryAfter)));
        }
        return e;
    }

    private static String gitlabMessage(Buffer body) {
        if (body == null || body.length() == 0 || body.length() > 4096) {
            return "";
        }
        try {
            JsonObject json = new JsonObject(body);
            Object m = json.getValue("message", json.getValue("error", ""));
            String text = String.valueOf(m);
            return text.length() > 200 ? text.substring(0, 200) : text;
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** The failure when no answer came; the message names the instance, never a header or the exception's text. */
    VregException transport(Throwable cause, String what) {
        if (cause instanceof VregException v) {
            return v;
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof AddressNotAllowedException a) {
                return a;
            }
            if (t instanceof ConnectTimeoutException || t instanceof TimeoutException) {
                return new VregException(ErrorKind.UPSTREAM_TIMEOUT, "GitLab at " + display
                        + " did not answer in time (fetching " + what + ")", cause);
            }
            if (t instanceof ConnectException) {
                return new VregException(ErrorKind.UPSTREAM_UNAVAILABLE, "GitLab at " + display
                        + " refused the connection; check the URL's host and port (fetching " + what + ")", cause);
            }
            if (t instanceof UnknownHostException) {
                return new VregException(ErrorKind.UPSTREAM_UNAVAILABLE, "the host name of GitLab at " + display
                        + " could not be resolved (fetching " + what + ")", cause);
            }
        }
        return new VregException(ErrorKind.UPSTREAM_UNAVAILABLE, "the connection to GitLab at " + display
                + " failed (fetching " + what + ")", cause);
    }
}
