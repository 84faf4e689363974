package dev.vreg.host.proxy;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs blocking tasks one at a time and in order on Vert.x's worker pool, each answered on the event-loop context
 * that submitted it. Tasks queued behind each other run back to back on the same worker thread, without a round trip
 * through the event loop between two of them, so a stage of a pipeline (writing a file, checking a body) keeps up
 * with the transfer feeding it. Each instance is one stage; two instances run in parallel.
 */
final class SerialWorker {

    /** Tasks one turn on a worker thread runs at most before it gives the thread back to the pool. */
    private static final int TASKS_PER_TURN = 64;

    private final ContextInternal context;
    private final Executor executor;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    /** @param context the event-loop context whose worker pool runs the tasks and which is told their outcomes */
    SerialWorker(Context context) {
        this.context = (ContextInternal) context;
        this.executor = this.context.workerPool().executor();
    }

    /** Queues {@code task} behind those submitted before; its outcome completes the answer on the context. */
    <T> Future<T> submit(Callable<T> task) {
        Promise<T> outcome = context.promise();
        tasks.add(() -> {
            T value;
            try {
                value = task.call();
            } catch (Throwable e) {
                outcome.fail(e);
                return;
            }
            outcome.complete(value);
        });
        schedule();
        return outcome.future();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            executor.execute(this::turn);
        }
    }

    private void turn() {
        for (int run = 0; run < TASKS_PER_TURN; run++) {
            Runnable task = tasks.poll();
            if (task == null) {
                break;
            }
            task.run();
        }
        scheduled.set(false);
        if (!tasks.isEmpty()) {
            schedule();
        }
    }
}
