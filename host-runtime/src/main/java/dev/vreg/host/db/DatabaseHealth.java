package dev.vreg.host.db;

/**
 * What this node knows about its database beyond single queries: whether the embedded server is running, being
 * restarted, or could not be restarted. /readyz turns away traffic unless it is {@link State#UP}; /healthz fails only
 * once it is {@link State#FAILED}, since a node that recovers by itself should not be replaced.
 */
public final class DatabaseHealth {

    public enum State {
        UP,
        /** The embedded server stopped and is being restarted. */
        RECOVERING,
        /** The embedded server could not be restarted; attempts go on, but a fresh node is the likelier cure. */
        FAILED
    }

    private volatile State state = State.UP;
    private volatile String reason;

    public State state() {
        return state;
    }

    /** Why the state is not {@link State#UP}, for the operator; {@code null} when it is. */
    public String reason() {
        return reason;
    }

    public boolean up() {
        return state == State.UP;
    }

    /** Whether the node can still get well by itself; false means it should be restarted from outside. */
    public boolean alive() {
        return state != State.FAILED;
    }

    public void markUp() {
        state = State.UP;
        reason = null;
    }

    public void markRecovering(String why) {
        reason = why;
        state = State.RECOVERING;
    }

    public void markFailed(String why) {
        reason = why;
        state = State.FAILED;
    }
}
