package dev.vreg.host.jobs;

import io.vertx.core.Future;
import java.util.List;

/** Jobs that come and go with configuration (one per lifecycle policy, say), asked for at every tick. */
@FunctionalInterface
public interface JobSource {

    Future<List<Job>> jobs();
}
