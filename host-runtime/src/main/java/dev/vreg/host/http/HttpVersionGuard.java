package dev.vreg.host.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Answers a request line in an HTTP version other than 1.0 and 1.1 ({@code HTTP/1.2}, {@code HTTP/2.0} in cleartext,
 * {@code HTTX/1.1}) with a 505 and a one-line reason, and closes the connection. Left alone, Vert.x answers such a
 * request with an empty 501 that even repeats the version back. This handler sits in each HTTP/1 connection's Netty
 * pipeline after the decoder and turns the request into an HTTP/1.1 one, marked and asking to close, so that
 * {@link #refuse} answers it in order with any earlier pipelined requests, in a status line the client can read. A
 * request the decoder could not read at all is answered in HTTP/1.1 too, by {@link InvalidRequests}.
 */
final class HttpVersionGuard extends ChannelInboundHandlerAdapter {

    /** Set only by this handler: any copy the client sent is removed first. */
    private static final String MARK = "x-vreg-unsupported-http-version";
    private static final String ENCODER = "httpEncoder";

    /** Adds the guard to an HTTP/1 connection; HTTP/2 connections have no version to check. */
    static void install(HttpConnection connection) {
        if (connection instanceof ConnectionBase base) {
            ChannelPipeline pipeline = base.channelHandlerContext().pipeline();
            if (pipeline.get(ENCODER) != null && pipeline.get(HttpVersionGuard.class) == null) {
                pipeline.addAfter(ENCODER, "vregHttpVersionGuard", new HttpVersionGuard());
            }
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            request.headers().remove(MARK);
            HttpVersion version = request.protocolVersion();
            if (request.decoderResult().isFailure()) {
                // Netty stands in an HTTP/1.0 request for one it could not read; the 400 is answered in HTTP/1.1.
                request.setProtocolVersion(HttpVersion.HTTP_1_1);
            } else if (version != HttpVersion.HTTP_1_0 && version != HttpVersion.HTTP_1_1) {
                request.setProtocolVersion(HttpVersion.HTTP_1_1);
                request.headers().set(MARK, "");
                request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** Answers {@code request} with a 505 if the guard marked it; answers whether it did. */
    static boolean refuse(HttpServerRequest request) {
        if (!request.headers().contains(MARK)) {
            return false;
        }
        request.response().setStatusCode(505)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end("HTTP version not supported: vreg speaks HTTP/1.1 and HTTP/1.0\n");
        return true;
    }
}
