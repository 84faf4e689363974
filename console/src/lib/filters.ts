import type { ApiError } from '../api/errors';
import type { FilterMode, FilterRule, Filters } from '../api/types';

/**
 * A registry's filter rules as the policy page edits them: rows in order (the first rule that applies decides), each
 * with a key of its own so a moved row keeps its inputs, and the body `PUT .../filters` takes.
 */
export interface RuleRow {
  key: number;
  action: 'allow' | 'deny';
  pattern: string;
  versions: string;
  reason: string;
}

let nextKey = 1;

export function row(rule?: FilterRule): RuleRow {
  return {
    key: nextKey++,
    action: rule?.action ?? 'deny',
    pattern: rule?.pattern ?? '',
    versions: rule?.versions ?? '',
    reason: rule?.reason ?? '',
  };
}

export function rows(filters: Filters): RuleRow[] {
  return filters.rules.map(row);
}

/** The body to save: trimmed, with an empty version condition or reason left out (every version, no reason). */
export function filtersBody(mode: FilterMode, edited: readonly RuleRow[]): Filters {
  return {
    mode,
    rules: edited.map((r) => {
      const rule: FilterRule = { action: r.action, pattern: r.pattern.trim() };
      if (r.versions.trim()) {
        rule.versions = r.versions.trim();
      }
      if (r.reason.trim()) {
        rule.reason = r.reason.trim();
      }
      return rule;
    }),
  };
}

/** Whether the rows say what `saved` says, so the page can tell when there is something to save. */
export function unchanged(saved: Filters, mode: FilterMode, edited: readonly RuleRow[]): boolean {
  return JSON.stringify(filtersBody(saved.mode, rows(saved))) === JSON.stringify(filtersBody(mode, edited));
}

/** The fields of rule `index` (0-based) as the server names them in a 422: `rules[0].pattern`. */
export function ruleField(index: number, name: 'action' | 'pattern' | 'versions' | 'reason' | null): string {
  return name === null ? `rules[${index}]` : `rules[${index}].${name}`;
}

export const RULE_FIELDS = ['action', 'pattern', 'versions', 'reason'] as const;

/** Every field a rules form has an input for, so the rest of a 422 can be listed rather than lost. */
export function shownFields(count: number): string[] {
  const fields = ['mode', 'rules'];
  for (let i = 0; i < count; i++) {
    fields.push(ruleField(i, null), ...RULE_FIELDS.map((f) => ruleField(i, f)));
  }
  return fields;
}

/** The message for one field of rule `index`, when the last save was refused. */
export function ruleError(error: unknown, index: number, name: (typeof RULE_FIELDS)[number] | null):
  string | undefined {
  const refused = error as ApiError | null;
  return refused && typeof refused.messageFor === 'function' ? refused.messageFor(ruleField(index, name)) : undefined;
}

/**
 * A verdict as one line: the rule that decided (1-based in its level's list; a group rule is named as one), or the
 * mode, which refuses when the group or the registry is an allow-list.
 */
export function verdictSummary(allowed: boolean, rule: number | null, mode: FilterMode,
  level: 'group' | 'registry' | null = 'registry'): string {
  const outcome = allowed ? 'Allowed' : 'Refused';
  if (rule !== null) {
    return `${outcome} by ${level === 'group' ? 'group ' : ''}rule ${rule}.`;
  }
  return `${outcome}: no rule applies, and a${mode === 'allow-list' ? 'n allow-list group or registry refuses' : ' deny-list registry admits'} what no rule decides.`;
}
