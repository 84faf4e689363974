/** The admin API's shapes, as docs/openapi.yaml describes them. */

export type Role = 'reader' | 'maintainer' | 'owner';

export interface Group {
  name: string;
  role: Role;
  createdAt: string;
}

export interface GroupDetail extends Group {
  registriesCount: number;
  upstreamsCount: number;
  membersCount: number;
}

export interface User {
  username: string;
  email: string | null;
  admin: boolean;
  createdAt: string;
}

export interface Session {
  accessToken: string;
  tokenType: 'Bearer';
  expiresAt: string;
  expiresIn: number;
  scopes: string[];
  username?: string;
}

export interface Registry {
  name: string;
  format: string;
  public: boolean;
  description: string | null;
  path: string;
  upstreamsCount: number;
  createdAt: string;
  updatedAt: string;
  upstreams?: Link[];
}

export interface RegistryInput {
  name: string;
  format: string;
  public: boolean;
  description?: string;
}

export interface ChecksumSettings {
  verification: 'off' | 'warn' | 'enforce';
  databases: Array<{ name: string; key: string; url: string | null }>;
  privatePatterns: string[];
  answerValiditySeconds: number;
}

export interface ChecksumSettingsInput {
  verification?: 'off' | 'warn' | 'enforce';
  databases?: Array<{ key: string; url?: string | null }>;
  privatePatterns?: string[];
  answerValiditySeconds?: number;
}

export interface Link {
  position: number;
  upstreamId: number;
  name: string;
  kind: string;
  url: string;
}

export interface Links {
  registry: string;
  upstreams: Link[];
}

export interface ConnectionStatus {
  state: 'ok' | 'failed';
  reachable: boolean;
  tls: boolean;
  authenticated: boolean;
  latencyMillis: number;
  message: string;
  checkedAt: string;
}

export type UpstreamStatus = ConnectionStatus | { state: 'unknown' };

export type Credentials = { username: string; password: string } | { token: string } | null;

export interface Upstream {
  id: number;
  name: string;
  kind: string;
  url: string;
  settings: Record<string, unknown>;
  moduleHints: string[];
  metadataValiditySeconds: number | null;
  contentValiditySeconds: number | null;
  transferDeadlineSeconds: number | null;
  minTransferRate: number | null;
  credentialsSet: boolean;
  allowPrivateNetwork: boolean;
  status: UpstreamStatus;
  usedBy: Array<{ registry: string; position: number }>;
  createdAt: string;
  updatedAt: string;
}

export interface UpstreamInput {
  name?: string;
  kind?: string;
  url?: string;
  settings?: Record<string, unknown>;
  moduleHints?: string[];
  metadataValiditySeconds?: number;
  contentValiditySeconds?: number;
  transferDeadlineSeconds?: number;
  minTransferRate?: number;
  allowPrivateNetwork?: boolean;
  credentials?: Credentials;
}

export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  examples?: unknown[];
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  'x-message'?: string;
  [key: string]: unknown;
}

export interface UpstreamKind {
  kind: string;
  formats: string[];
  settingsSchema: JsonSchema;
}

export interface CacheEntry {
  id: number;
  upstreamId: number;
  path: string;
  kind: 'CONTENT' | 'METADATA' | 'NOT_FOUND';
  name: string;
  version: string | null;
  file: string;
  size: number;
  blobDigest: string | null;
  attributes: Record<string, string>;
  createdAt: string;
  checkedAt: string;
  downloadsCount: number;
  lastDownloadedAt: string | null;
}

export interface CachePage {
  entries: CacheEntry[];
  page: number;
  perPage: number;
  total: number;
  totalPages: number;
}

/** Counts of package requests over a range or a bucket (getRegistryStatistics). */
export interface UsageCounts {
  requests: number;
  hits: number;
  fetches: number;
  notFound: number;
  errors: number;
  bytesServed: number;
  /** Requests the registry's filter rules refused (403), among the requests. */
  blocked?: number;
}

export interface UsageTotals extends UsageCounts {
  hitRatio: number | null;
}

export interface RegistryStatistics {
  group: string;
  registry: string;
  upstreamsCount: number;
  interval: 'hour' | 'day';
  from: string;
  to: string;
  totals: UsageTotals;
  byFileKind: Record<string, UsageTotals>;
  topModules: (UsageCounts & { module: string })[];
  series: (UsageCounts & { bucket: string })[];
  storage?: { files: number; fileBytes: number; storedBytes: number; savedBytes: number };
}

export interface UpstreamCounts {
  requests: number;
  hits: number;
  fetches: number;
  notFound: number;
  errors: number;
  bytesFetched: number;
}

export interface UpstreamStatistics {
  group: string;
  upstreamId: number;
  upstream: string;
  connection: ConnectionStatus | null;
  interval: 'hour' | 'day';
  from: string;
  to: string;
  totals: UpstreamCounts;
  errorsByKind: Record<string, number>;
  latencyMs: { mean: number | null; p50: number | null; p95: number | null; p99: number | null };
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  lastFailure: { kind: string; message: string } | null;
  series: (UpstreamCounts & { bucket: string })[];
}

export type FilterMode = 'deny-list' | 'allow-list';

export interface FilterRule {
  action: 'allow' | 'deny';
  pattern: string;
  versions?: string | null;
  reason?: string | null;
}

export interface Filters {
  mode: FilterMode;
  rules: FilterRule[];
}

export interface FilterVerdict {
  module: string;
  version: string | null;
  mode: FilterMode;
  allowed: boolean;
  /** The deciding rule, 1-based; null when the mode decided. */
  rule: number | null;
  /** Whose rule decided: the group's or the registry's; null when the mode decided. */
  level?: 'group' | 'registry' | null;
  decidedBy: FilterRule | null;
  why: string;
}

export interface AuditEvent {
  id: number;
  occurredAt: string;
  action: string;
  actor: string;
  /** The group's name; null for instance-wide events (in the instance audit log). */
  group?: string | null;
  registry: string | null;
  module: string | null;
  version: string | null;
  rule: number | null;
  reason: string | null;
  /** The API path a change called, below /api/v1. */
  target?: string | null;
  address?: string | null;
  /** The resource before and after a change, secrets masked. */
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

export interface AuditPage {
  events: AuditEvent[];
  next: string | null;
}

export interface LifecyclePolicyInput {
  unusedDays: number;
  keepNewest?: number;
  everyHours?: number;
  enabled?: boolean;
}

export interface LifecyclePolicy {
  id: number;
  registry?: string;
  upstreamId?: number;
  unusedDays: number;
  keepNewest: number;
  everyHours: number;
  enabled: boolean;
  job: string;
  updatedAt: string;
}

export interface LifecycleRun {
  id: number;
  trigger: 'scheduled' | 'manual';
  node: string;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  outcome: 'running' | 'succeeded' | 'failed';
  entriesDeleted: number;
  bytesDeleted: number;
  reclaimedBytes: number;
  error: string | null;
}

export interface LifecyclePlan {
  cutOff: string;
  count: number;
  bytes: number;
  reclaimableBytes: number;
  truncated: boolean;
  entries: Array<{ id: number; upstreamId: number; path: string; module: string | null; version: string | null;
    size: number; lastUsedAt: string }>;
}

export interface JobRun {
  job?: string;
  run: number;
  startedAt: string;
  finishedAt: string | null;
  outcome: 'running' | 'succeeded' | 'failed';
  error: string | null;
  node: string;
}

export type WebhookEvent = 'request.blocked' | 'entries.deleted' | 'policy.run.finished' | 'upstream.test.failed';

export interface WebhookInput {
  url: string;
  events: WebhookEvent[];
  secret?: string;
  description?: string | null;
  enabled?: boolean;
}

export type WebhookChange = Partial<WebhookInput>;

export interface Webhook {
  id: number;
  url: string;
  events: string[];
  description: string | null;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
  /** Only in the answer that created it, and only when vreg made it. */
  secret?: string;
}

export interface WebhookDelivery {
  id: number;
  webhookId: number;
  event: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  createdAt: string;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastResponse: string | null;
  payload: Record<string, unknown>;
}
