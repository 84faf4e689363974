package dev.vreg.goproxy.client;

import dev.vreg.spi.UpstreamResponse;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/** A 200 answer whose body streams from the upstream connection. */
final class StreamedResponse implements UpstreamResponse {

    private final long contentLength;
    private final String etag;
    private final ResponseBody body;

    StreamedResponse(long contentLength, String etag, ResponseBody body) {
        this.contentLength = contentLength;
        this.etag = etag;
        this.body = body;
    }

    @Override
    public boolean notModified() {
        return false;
    }

    @Override
    public long contentLength() {
        return contentLength;
    }

    @Override
    public String etag() {
        return etag;
    }

    @Override
    public ReadStream<Buffer> body() {
        return body;
    }

    @Override
    public void discard() {
        body.discard();
    }
}
