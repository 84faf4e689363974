/** The admin API's shapes, as docs/openapi.yaml describes them. */

export type Role = 'reader' | 'maintainer' | 'owner';

export interface Group {
  name: string;
  role: Role;
  createdAt: string;
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
