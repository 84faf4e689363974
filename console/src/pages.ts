/**
 * The pages of a group, in the order the navigation shows them. A new page is one entry here and one route in
 * router.ts.
 */
export interface GroupPage {
  name: string;
  label: string;
}

export const groupPages: GroupPage[] = [
  { name: 'overview', label: 'Upstreams' },
  { name: 'registries', label: 'Registries' },
  { name: 'cache', label: 'Cache' },
  { name: 'statistics', label: 'Statistics' },
  { name: 'policies', label: 'Policies' },
  { name: 'lifecycle', label: 'Lifecycle' },
  { name: 'webhooks', label: 'Webhooks' },
  { name: 'audit', label: 'Audit log' },
];
