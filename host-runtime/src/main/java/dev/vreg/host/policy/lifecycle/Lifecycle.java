package dev.vreg.host.policy.lifecycle;

import dev.vreg.host.cache.CacheRepository;
import dev.vreg.host.cache.CacheRepository.Usage;
import dev.vreg.host.jobs.Job;
import dev.vreg.host.jobs.JobRun;
import dev.vreg.host.jobs.JobSource;
import dev.vreg.host.policy.AuditEvent;
import dev.vreg.host.policy.AuditLog;
import dev.vreg.host.storage.BlobCollector;
import dev.vreg.spi.FormatPlugin;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies lifecycle policies. A run and a dry run walk the same plan ({@link #plan}): the names with entries last
 * used before the cut-off, a page of names at a time, and of each name's entries those unused since the cut-off and
 * not among its newest versions kept. A run deletes them in bounded batches (an entry pulled since the plan was made
 * stays), records one audit event per deleted version, then has the blob collector free the blobs nothing references
 * any more. Runs are scheduled jobs ({@link #jobs}), so one node runs a policy at a time.
 */
public final class Lifecycle implements JobSource {

    /** What a dry run answers: the entries a run would delete now (at most a page of them listed) and the bytes. */
    public record Plan(Instant cutOff, List<Usage> listed, int entries, long bytes, long freedBytes) {

        public boolean truncated() {
            return listed.size() < entries;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);
    public static final String JOB_KIND = "lifecycle_policy";
    /** Names weighed at once. */
    private static final int NAMES_PER_PAGE = 100;
    /** Entries deleted by one statement. */
    private static final int DELETE_BATCH = 500;
    /** Entries a dry run lists at most; it counts them all. */
    public static final int LISTED = 1000;

    private final LifecycleStore store;
    private final CacheRepository cache;
    private final BlobCollector collector;
    private final AuditLog audit;
    private final Function<String, Optional<FormatPlugin>> formats;
    private final Clock clock;

    public Lifecycle(LifecycleStore store, CacheRepository cache, BlobCollector collector, AuditLog audit,
                     Function<String, Optional<FormatPlugin>> formats, Clock clock) {
        this.store = store;
        this.cache = cache;
        this.collector = collector;
        this.audit = audit;
        this.formats = formats;
        this.clock = clock;
    }

    public LifecycleStore store() {
        return store;
    }

    /** One job per policy; a disabled policy's is paused (it runs only when asked to). */
    @Override
    public Future<List<Job>> jobs() {
        return store.all().map(policies -> policies.stream()
                .map(policy -> new Job(policy.job(), JOB_KIND, policy.settings().every(),
                        !policy.settings().enabled(), run -> run(policy.id(), run)))
                .toList());
    }

    /** What a run of {@code policy} would delete now. */
    public Future<Plan> dryRun(LifecyclePolicy policy) {
        Instant cutOff = policy.cutOff(clock.instant());
        List<Usage> going = new ArrayList<>();
        return plan(policy, cutOff, page -> {
            going.addAll(page);
            return Future.succeededFuture();
        }).compose(v -> cache.bytesFreedBy(going)).map(freed -> new Plan(cutOff,
                List.copyOf(going.subList(0, Math.min(LISTED, going.size()))), going.size(),
                going.stream().mapToLong(Usage::size).sum(), freed));
    }

    /** Runs the policy {@code policyId} as it is now (it may have changed since the job list was read). */
    private Future<LifecycleStore.Run> run(long policyId, JobRun run) {
        return store.all().compose(all -> {
            LifecyclePolicy policy = all.stream().filter(p -> p.id() == policyId).findFirst().orElse(null);
            if (policy == null) {
                return Future.succeededFuture(null);
            }
            return run(policy, run);
        });
    }

    private static final class Tally {
        int entries;
        long bytes;
    }

    /** Deletes what the plan finds and frees the blobs; records the run, and fails when it did. */
    Future<LifecycleStore.Run> run(LifecyclePolicy policy, JobRun job) {
        Instant started = clock.instant();
        Instant cutOff = policy.cutOff(started);
        Tally tally = new Tally();
        return store.started(policy.id(), job.manual(), job.node(), started).compose(runId -> store.audience(policy)
                .compose(audience -> plan(policy, cutOff, page -> delete(policy, page, cutOff, audience, tally)))
                .compose(v -> collector.collect(BlobCollector.Trigger.DELETION))
                .transform(done -> {
                    String error = done.failed() ? String.valueOf(done.cause().getMessage())
                            : done.result().error();
                    long reclaimed = done.succeeded() ? done.result().bytesReclaimed() : 0;
                    Instant finished = clock.instant();
                    if (tally.entries > 0 || error != null) {
                        LOG.info("Lifecycle policy {}: {} entries ({} bytes) deleted, {} bytes reclaimed{}",
                                policy.id(), tally.entries, tally.bytes, reclaimed,
                                error == null ? "" : "; failed: " + error);
                    }
                    LifecycleStore.Run record = new LifecycleStore.Run(runId, policy.id(),
                            job.manual() ? "manual" : "scheduled", job.node(), started, finished,
                            error == null ? "succeeded" : "failed", tally.entries, tally.bytes, reclaimed, error);
                    return store.finished(runId, finished, tally.entries, tally.bytes, reclaimed, error)
                            .compose(recorded -> finishedEvent(policy, record))
                            .compose(recorded -> error == null ? Future.succeededFuture(record)
                                    : Future.failedFuture(error));
                }));
    }

    private Future<Void> delete(LifecyclePolicy policy, List<Usage> page, Instant cutOff,
                                List<LifecycleStore.Audience> audience, Tally tally) {
        Future<Void> chain = Future.succeededFuture();
        for (int from = 0; from < page.size(); from += DELETE_BATCH) {
            List<Long> ids = page.subList(from, Math.min(page.size(), from + DELETE_BATCH)).stream()
                    .map(Usage::id).toList();
            chain = chain.compose(v -> cache.deleteUnusedSince(ids, cutOff)).compose(deleted -> {
                tally.entries += deleted.size();
                tally.bytes += deleted.stream().mapToLong(Usage::size).sum();
                return audit.write(events(policy, deleted, audience));
            });
        }
        return chain;
    }

    /**
     * The event of a run's end, in the policy's registry (an upstream's policy: the first registry linking it; none
     * when no registry does, as no group's log could show it), so webhooks hear of it.
     */
    private Future<Void> finishedEvent(LifecyclePolicy policy, LifecycleStore.Run run) {
        return store.audience(policy).compose(audience -> {
            Long registryId = policy.registryId() != null ? policy.registryId()
                    : audience.isEmpty() ? null : audience.get(0).registryId();
            if (registryId == null) {
                return Future.succeededFuture();
            }
            String registry = policy.registry() != null ? policy.registry() : audience.get(0).registry();
            String reason = run.error() != null ? "failed: " + run.error()
                    : run.entriesDeleted() + " entries (" + run.bytesDeleted() + " bytes) deleted, "
                    + run.bytesReclaimed() + " bytes reclaimed";
            JsonObject after = new JsonObject().put("policyId", policy.id()).put("trigger", run.trigger())
                    .put("outcome", run.outcome()).put("entriesDeleted", run.entriesDeleted())
                    .put("bytesDeleted", run.bytesDeleted()).put("reclaimedBytes", run.bytesReclaimed())
                    .put("error", run.error());
            return audit.write(Map.of(0L, new AuditEvent(0, clock.instant(), AuditEvent.LIFECYCLE_RUN_FINISHED,
                    policy.job(), null, registryId, registry, null, null, null, reason, null, null, null, after)));
        }).otherwise(e -> {
            LOG.warn("The end of lifecycle policy {}'s run was not recorded: {}", policy.id(), e.getMessage());
            return null;
        });
    }

    /** One event per deleted version (or unversioned file) and registry that saw it. */
    private Map<Long, AuditEvent> events(LifecyclePolicy policy, List<Usage> deleted,
                                         List<LifecycleStore.Audience> audience) {
        Map<String, List<Usage>> byVersion = new LinkedHashMap<>();
        for (Usage usage : deleted) {
            String key = usage.name() + "@" + (usage.version() != null ? usage.version() : usage.path());
            byVersion.computeIfAbsent(key, k -> new ArrayList<>()).add(usage);
        }
        Map<Long, AuditEvent> events = new LinkedHashMap<>();
        Instant now = clock.instant();
        for (List<Usage> files : byVersion.values()) {
            Usage first = files.get(0);
            String reason = "not pulled for " + policy.settings().unusedDays() + " days: " + files.size()
                    + (files.size() == 1 ? " file, " : " files, ") + files.stream().mapToLong(Usage::size).sum()
                    + " bytes";
            for (LifecycleStore.Audience registry : audience) {
                events.put((long) events.size(), new AuditEvent(0, now, AuditEvent.CACHE_ENTRIES_DELETED,
                        policy.job(), registry.registryId(), registry.registry(), first.name(),
                        first.version() != null ? first.version() : first.path(), null, reason));
            }
        }
        return events;
    }

    /** Hands {@code page} the entries to delete, a page of names at a time. */
    private Future<Void> plan(LifecyclePolicy policy, Instant cutOff, Function<List<Usage>, Future<Void>> page) {
        FormatPlugin format = policy.format() == null ? null : formats.apply(policy.format()).orElse(null);
        Comparator<String> order = format != null ? format::compareVersions : Comparator.naturalOrder();
        return store.upstreams(policy).compose(upstreams -> upstreams.isEmpty() ? Future.succeededFuture()
                : names(upstreams, cutOff, "", policy.settings().keepNewest(), order, page));
    }

    private Future<Void> names(List<Long> upstreams, Instant cutOff, String after, int keepNewest,
                               Comparator<String> order, Function<List<Usage>, Future<Void>> page) {
        return cache.namesUnusedSince(upstreams, cutOff, after, NAMES_PER_PAGE).compose(names -> {
            if (names.isEmpty()) {
                return Future.succeededFuture();
            }
            return cache.contentOf(upstreams, names)
                    .compose(entries -> page.apply(select(entries, cutOff, keepNewest, order)))
                    .compose(v -> names.size() < NAMES_PER_PAGE ? Future.succeededFuture()
                            : names(upstreams, cutOff, names.get(names.size() - 1), keepNewest, order, page));
        });
    }

    /** Of a page of names' entries, those unused since {@code cutOff} and not of a name's newest versions kept. */
    static List<Usage> select(List<Usage> entries, Instant cutOff, int keepNewest, Comparator<String> order) {
        Map<String, List<Usage>> byName = new LinkedHashMap<>();
        entries.forEach(e -> byName.computeIfAbsent(e.name() == null ? "" : e.name(), k -> new ArrayList<>()).add(e));
        List<Usage> going = new ArrayList<>();
        for (List<Usage> files : byName.values()) {
            Set<String> kept = new HashSet<>();
            if (keepNewest > 0) {
                files.stream().map(Usage::version).filter(v -> v != null).distinct().sorted(order.reversed())
                        .limit(keepNewest).forEach(kept::add);
            }
            for (Usage file : files) {
                if (file.lastUsedAt().isBefore(cutOff) && (file.version() == null || !kept.contains(file.version()))) {
                    going.add(file);
                }
            }
        }
        return going;
    }
}
