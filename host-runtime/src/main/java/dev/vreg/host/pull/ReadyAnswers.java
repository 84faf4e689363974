package dev.vreg.host.pull;

import dev.vreg.host.cache.EntryPulls;
import dev.vreg.host.db.BatchedWriter;
import dev.vreg.host.proxy.ContentResolver;
import dev.vreg.host.registry.Registry;
import dev.vreg.host.stats.Statistics;
import dev.vreg.spi.ArtifactRef;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whole answers to the busiest requests, sent before any pull stage runs: a small cached file of a public registry
 * without filter rules, asked for by a plain {@code GET} or {@code HEAD} (no query, no range, no condition), is
 * answered from its {@link SmallFiles copy in memory} by its exact request target once the stages have answered it
 * once. What the stages would have decided stays right for as long as the memories they read stay right, so the
 * answers are dropped whenever those are (any change of configuration or of the cache, on any node), when the copy
 * they send is dropped, and after {@link #VALIDITY} or the entry's own freshness, whichever comes first; the request
 * after that goes through the stages again. Each answer is counted like any other pull.
 */
public final class ReadyAnswers {

    /** No ready answers: every request goes through the stages. */
    public static final ReadyAnswers NONE = new ReadyAnswers(SmallFiles.NONE, null, null);

    /** How long an answer is sent without the stages being asked again (as long as a remembered cache hit). */
    static final Duration VALIDITY = ContentResolver.HIT_VALIDITY;

    /** What is sent and what is counted. */
    private record Answer(SmallFiles.Copy copy, Registry registry, ArtifactRef ref, ContentResolver.Outcome outcome,
                          long expiresAtNanos) {
    }

    private final SmallFiles small;
    private final BatchedWriter<Long, EntryPulls> downloads;
    private final Statistics statistics;
    private final ConcurrentMap<String, Answer> answers = new ConcurrentHashMap<>();
    /** Moves on every change, before the answers are dropped; an answer worked out across a change is not kept. */
    private final AtomicLong generation = new AtomicLong();

    /**
     * @param small      the copies the answers send (their bound is the answers' bound)
     * @param downloads  where each answer's pull of its entry is counted, or {@code null}
     * @param statistics where each answer is counted as a pull, or {@code null}
     */
    public ReadyAnswers(SmallFiles small, BatchedWriter<Long, EntryPulls> downloads, Statistics statistics) {
        this.small = small;
        this.downloads = downloads;
        this.statistics = statistics;
        small.onDropped(answers::remove);
    }

    /** The copies in memory these answers send. */
    public SmallFiles smallFiles() {
        return small;
    }

    /**
     * Answers {@code request} when an answer is ready for it, counting the pull; false when the stages must answer
     * it.
     */
    public boolean answer(HttpServerRequest request) {
        if (answers.isEmpty()) {
            return false;
        }
        HttpMethod method = request.method();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            return false;
        }
        String uri = request.uri();
        Answer answer = answers.get(uri);
        if (answer == null) {
            return false;
        }
        long started = System.nanoTime();
        if (answer.expiresAtNanos() - started < 0) {
            answers.remove(uri, answer);
            return false;
        }
        if (!unconditional(request.headers())) {
            return false;
        }
        SmallFiles.Copy copy = answer.copy();
        HttpServerResponse response = request.response();
        BlobResponder.copyHeaders(response, copy);
        response.headers().set(HttpHeaders.CONTENT_LENGTH, copy.contentLength());
        boolean head = method == HttpMethod.HEAD;
        long bytes = head ? 0 : copy.body().length();
        if (head) {
            response.end();
        } else {
            response.end(copy.body());
            if (downloads != null) {
                downloads.record(answer.outcome().entry().id(), EntryPulls.one(bytes));
            }
        }
        if (statistics != null) {
            statistics.pulled(new Statistics.Pull(answer.registry(), answer.ref(), answer.outcome(), head, 200, bytes,
                    System.nanoTime() - started, false));
        }
        return true;
    }

    /** Whether a request with {@code headers} asks for the whole file, whatever the client holds. */
    static boolean unconditional(MultiMap headers) {
        return !headers.contains(HttpHeaderNames.RANGE) && !headers.contains(HttpHeaderNames.IF_NONE_MATCH)
                && !headers.contains(HttpHeaderNames.IF_RANGE);
    }

    /** Where the answers stand now; a request that starts its stages takes it, for {@link #remember}. */
    long generation() {
        return generation.get();
    }

    /**
     * Keeps the answer the stages just sent {@code entry} with at {@code uri}, unless anything changed since
     * {@code generation}, the copy is not held, or it is fresh for less than {@link #VALIDITY} from
     * {@code now} ({@code freshUntil}, or {@code null} for always).
     */
    void remember(long generation, String uri, Registry registry, ArtifactRef ref, ContentResolver.Outcome outcome,
                  Instant now, Instant freshUntil) {
        SmallFiles.Copy copy = small.held(outcome.entry());
        if (copy == null) {
            return;
        }
        Duration left = freshUntil == null ? VALIDITY : Duration.between(now, freshUntil);
        if (left.compareTo(VALIDITY) > 0) {
            left = VALIDITY;
        }
        if (left.isNegative() || left.isZero()) {
            return;
        }
        ContentResolver.Outcome cached = new ContentResolver.Outcome(outcome.entry(), false,
                ContentResolver.Source.CACHE);
        Answer answer = new Answer(copy, registry, ref, cached, System.nanoTime() + left.toNanos());
        answers.put(uri, answer);
        // A change or a drop of the copy that came between the decision and the put takes the answer back out.
        if (!copy.answersAt(uri) || this.generation.get() != generation) {
            answers.remove(uri, answer);
        }
    }

    /** Drops every answer; called whenever configuration or the cache changes anywhere. */
    public void forget() {
        generation.incrementAndGet();
        answers.clear();
    }

    /** The answers ready now, for tests. */
    public int size() {
        return answers.size();
    }

    /** Whether an answer is ready for the request target {@code uri}, for tests. */
    public boolean holds(String uri) {
        return answers.containsKey(uri);
    }
}
