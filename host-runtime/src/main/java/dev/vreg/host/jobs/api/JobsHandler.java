package dev.vreg.host.jobs.api;

import dev.vreg.host.api.Access;
import dev.vreg.host.api.ApiAuthHandler;
import dev.vreg.host.api.ApiContract;
import dev.vreg.host.api.Endpoint;
import dev.vreg.host.api.Reply;
import dev.vreg.host.jobs.JobRunner;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /jobs} (the instance admin's): the scheduled jobs of the fleet, each with its interval and its last run
 * (start, end, outcome, error and the node that ran it); {@code POST /jobs/{job}/runs} runs one now on this node.
 */
public final class JobsHandler {

    private final JobRunner runner;

    public JobsHandler(JobRunner runner) {
        this.runner = runner;
    }

    public void mount(ApiContract.Binder binder) {
        binder.bind("listJobs", Endpoint.of(this::list));
        binder.bind("runJob", Endpoint.of(this::run));
    }

    private Future<Reply> list(RoutingContext ctx) {
        Access.requireAdmin(ApiAuthHandler.principal(ctx));
        return runner.describe().map(jobs -> Reply.ok(new JsonObject().put("node", runner.node()).put("jobs", jobs)));
    }

    private Future<Reply> run(RoutingContext ctx) {
        Access.requireAdmin(ApiAuthHandler.principal(ctx));
        String name = ctx.pathParam("job");
        return runner.runNow(name).map(started -> new Reply(202, started.json().put("name", name)));
    }
}
