import { ApiClient, ApiError, path, type Download } from './client';
import type {
  GroupDetail, JobRun, LifecyclePlan, LifecyclePolicy, LifecyclePolicyInput, LifecycleRun, Webhook, WebhookChange,
  WebhookDelivery, WebhookInput,
  AuditPage, CachePage, ChecksumSettings, Filters, FilterVerdict, RegistryStatistics, UpstreamStatistics, ChecksumSettingsInput, ConnectionStatus, Group, Links, Registry, RegistryInput, Session, Upstream, UpstreamInput,
  UpstreamKind, User,
} from './types';

/** The documented admin API operations the console uses, one method per operation. */
export class VregApi {
  constructor(readonly client: ApiClient) {}

  /** createSession, authenticated by the personal token itself (it is sent once and never kept). */
  createSession(personalToken: string): Promise<Session> {
    return this.client.request<Session>('POST', '/sessions', undefined, undefined, personalToken);
  }

  /** createSession with the current session, which renews it. */
  renewSession(): Promise<Session> {
    return this.client.post<Session>('/sessions');
  }

  /** endSession: signs out, ending the current session (and those renewed from it) on every node. */
  endSession(): Promise<void> {
    return this.client.delete('/session');
  }

  currentUser(): Promise<User> {
    return this.client.get<User>('/user');
  }

  groups(): Promise<Group[]> {
    return this.client.get<Group[]>('/groups');
  }

  registries(group: string): Promise<Registry[]> {
    return this.client.get<Registry[]>(path('groups', group, 'registries'));
  }

  registry(group: string, name: string): Promise<Registry> {
    return this.client.get<Registry>(path('groups', group, 'registries', name));
  }

  createRegistry(group: string, input: RegistryInput): Promise<Registry> {
    return this.client.post<Registry>(path('groups', group, 'registries'), input);
  }

  updateRegistry(group: string, name: string, change: { public?: boolean; description?: string | null }):
    Promise<Registry> {
    return this.client.patch<Registry>(path('groups', group, 'registries', name), change);
  }

  deleteRegistry(group: string, name: string): Promise<void> {
    return this.client.delete(path('groups', group, 'registries', name));
  }

  purgeRegistryCache(group: string, name: string): Promise<{ deleted: number }> {
    return this.client.delete(path('groups', group, 'registries', name, 'cache'));
  }

  checksumSettings(group: string, registry: string): Promise<ChecksumSettings> {
    return this.client.get<ChecksumSettings>(path('groups', group, 'registries', registry, 'checksum-database'));
  }

  putChecksumSettings(group: string, registry: string, settings: ChecksumSettingsInput): Promise<ChecksumSettings> {
    return this.client.put<ChecksumSettings>(path('groups', group, 'registries', registry, 'checksum-database'),
      settings);
  }

  links(group: string, registry: string): Promise<Links> {
    return this.client.get<Links>(path('groups', group, 'registries', registry, 'upstreams'));
  }

  link(group: string, registry: string, upstreamId: number, position?: number): Promise<Links> {
    return this.client.post<Links>(path('groups', group, 'registries', registry, 'upstreams'),
      position === undefined ? { upstreamId } : { upstreamId, position });
  }

  move(group: string, registry: string, upstreamId: number, position: number): Promise<Links> {
    return this.client.patch<Links>(path('groups', group, 'registries', registry, 'upstreams', upstreamId),
      { position });
  }

  unlink(group: string, registry: string, upstreamId: number): Promise<void> {
    return this.client.delete(path('groups', group, 'registries', registry, 'upstreams', upstreamId));
  }

  upstreamKinds(): Promise<UpstreamKind[]> {
    return this.client.get<UpstreamKind[]>('/upstream-kinds');
  }

  upstreams(group: string): Promise<Upstream[]> {
    return this.client.get<Upstream[]>(path('groups', group, 'upstreams'));
  }

  upstream(group: string, id: number): Promise<Upstream> {
    return this.client.get<Upstream>(path('groups', group, 'upstreams', id));
  }

  createUpstream(group: string, input: UpstreamInput): Promise<Upstream> {
    return this.client.post<Upstream>(path('groups', group, 'upstreams'), input);
  }

  updateUpstream(group: string, id: number, change: UpstreamInput): Promise<Upstream> {
    return this.client.patch<Upstream>(path('groups', group, 'upstreams', id), change);
  }

  deleteUpstream(group: string, id: number, force: boolean): Promise<void> {
    return this.client.delete(path('groups', group, 'upstreams', id), force ? { force: true } : undefined);
  }

  testUpstream(group: string, id: number): Promise<ConnectionStatus> {
    return this.client.post<ConnectionStatus>(path('groups', group, 'upstreams', id, 'test'));
  }

  testUnsavedUpstream(group: string, input: UpstreamInput): Promise<ConnectionStatus> {
    return this.client.post<ConnectionStatus>(path('groups', group, 'upstreams', 'test'), input);
  }

  cache(group: string, upstreamId: number, query: { search?: string; version?: string; page?: number;
    perPage?: number }): Promise<CachePage> {
    return this.client.get<CachePage>(path('groups', group, 'upstreams', upstreamId, 'cache'), query);
  }

  deleteCacheEntry(group: string, upstreamId: number, entryId: number): Promise<void> {
    return this.client.delete(path('groups', group, 'upstreams', upstreamId, 'cache', entryId));
  }

  purgeUpstreamCache(group: string, upstreamId: number, prefix?: string): Promise<{ deleted: number }> {
    return this.client.delete(path('groups', group, 'upstreams', upstreamId, 'cache'),
      prefix ? { prefix } : undefined);
  }

  filters(group: string, registry: string): Promise<Filters> {
    return this.client.get<Filters>(path('groups', group, 'registries', registry, 'filters'));
  }

  putFilters(group: string, registry: string, filters: Filters): Promise<Filters> {
    return this.client.put<Filters>(path('groups', group, 'registries', registry, 'filters'), filters);
  }

  explainFilters(group: string, registry: string, question: { module: string; version?: string }):
    Promise<FilterVerdict> {
    return this.client.post<FilterVerdict>(path('groups', group, 'registries', registry, 'filters', 'explain'),
      question);
  }

  auditEvents(group: string, query: AuditQuery): Promise<AuditPage> {
    return this.client.get<AuditPage>(path('groups', group, 'audit-events'), { ...query });
  }

  group(name: string): Promise<GroupDetail> {
    return this.client.get<GroupDetail>(path('groups', name));
  }

  groupFilters(group: string): Promise<Filters> {
    return this.client.get<Filters>(path('groups', group, 'filters'));
  }

  putGroupFilters(group: string, filters: Filters): Promise<Filters> {
    return this.client.put<Filters>(path('groups', group, 'filters'), filters);
  }

  /** exportAuditEvents: every event the filters select, as an NDJSON file. */
  exportAuditEvents(group: string, query: AuditQuery): Promise<Download> {
    return this.client.download(path('groups', group) + '/audit-events.ndjson', { ...query });
  }

  /** listInstanceAuditEvents (instance admin): every group's events and the instance-wide ones. */
  instanceAuditEvents(query: AuditQuery & { group?: string }): Promise<AuditPage> {
    return this.client.get<AuditPage>('/audit-events', { ...query });
  }

  exportInstanceAuditEvents(query: AuditQuery & { group?: string }): Promise<Download> {
    return this.client.download('/audit-events.ndjson', { ...query });
  }

  /** getRegistryLifecycle / getUpstreamLifecycle; null when the registry or upstream has no policy (404). */
  async lifecycle(group: string, target: LifecycleTarget): Promise<LifecyclePolicy | null> {
    try {
      return await this.client.get<LifecyclePolicy>(lifecyclePath(group, target));
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        // The target itself exists (the page listed it), so a 404 means it has no policy.
        return null;
      }
      throw e;
    }
  }

  putLifecycle(group: string, target: LifecycleTarget, input: LifecyclePolicyInput): Promise<LifecyclePolicy> {
    return this.client.put<LifecyclePolicy>(lifecyclePath(group, target), input);
  }

  deleteLifecycle(group: string, target: LifecycleTarget): Promise<void> {
    return this.client.delete(lifecyclePath(group, target));
  }

  dryRunLifecycle(group: string, target: LifecycleTarget): Promise<LifecyclePlan> {
    return this.client.post<LifecyclePlan>(lifecyclePath(group, target) + '/dry-run');
  }

  lifecycleRuns(group: string, target: LifecycleTarget): Promise<{ runs: LifecycleRun[] }> {
    return this.client.get<{ runs: LifecycleRun[] }>(lifecyclePath(group, target) + '/runs');
  }

  runLifecycle(group: string, target: LifecycleTarget): Promise<JobRun> {
    return this.client.post<JobRun>(lifecyclePath(group, target) + '/runs');
  }

  webhooks(group: string): Promise<{ webhooks: Webhook[] }> {
    return this.client.get<{ webhooks: Webhook[] }>(path('groups', group, 'webhooks'));
  }

  createWebhook(group: string, input: WebhookInput): Promise<Webhook> {
    return this.client.post<Webhook>(path('groups', group, 'webhooks'), input);
  }

  updateWebhook(group: string, id: number, change: WebhookChange): Promise<Webhook> {
    return this.client.patch<Webhook>(path('groups', group, 'webhooks', id), change);
  }

  deleteWebhook(group: string, id: number): Promise<void> {
    return this.client.delete(path('groups', group, 'webhooks', id));
  }

  testWebhook(group: string, id: number): Promise<WebhookDelivery> {
    return this.client.post<WebhookDelivery>(path('groups', group, 'webhooks', id, 'test'));
  }

  webhookDeliveries(group: string, id: number, limit = 50): Promise<{ deliveries: WebhookDelivery[] }> {
    return this.client.get<{ deliveries: WebhookDelivery[] }>(path('groups', group, 'webhooks', id, 'deliveries'),
      { limit });
  }

  registryStatistics(group: string, registry: string, range: StatisticsQuery): Promise<RegistryStatistics> {
    return this.client.get<RegistryStatistics>(path('groups', group, 'registries', registry, 'statistics'), { ...range });
  }

  upstreamStatistics(group: string, upstreamId: number, range: StatisticsQuery): Promise<UpstreamStatistics> {
    return this.client.get<UpstreamStatistics>(path('groups', group, 'upstreams', upstreamId, 'statistics'), { ...range });
  }
}

/** Which audit events to list: instants (`to` excluded), the `next` of the previous page as `cursor`. */
export interface AuditQuery {
  from?: string;
  to?: string;
  /** A user, "token N" or "anonymous". */
  actor?: string;
  /** An action, or a prefix ending in * (registry.*). */
  action?: string;
  registry?: string;
  cursor?: string;
  limit?: number;
}

/** The range of a statistics request: instants, `to` excluded. */
export interface StatisticsQuery {
  from: string;
  to: string;
  interval: 'hour' | 'day';
}

/** A lifecycle policy belongs to a registry or to an upstream. */
export type LifecycleTarget = { registry: string } | { upstreamId: number };

function lifecyclePath(group: string, target: LifecycleTarget): string {
  return 'registry' in target ? path('groups', group, 'registries', target.registry, 'lifecycle')
    : path('groups', group, 'upstreams', target.upstreamId, 'lifecycle');
}
