/*
 * Make filters (`conditions: [[{a, o, b}, …], …]`: the filter passes when ANY group holds, a group
 * holds when ALL its conditions do) as far as the tool can decide them before a run.
 *
 * What a condition tests is read from its left side `a`:
 * - the error type: `{{N.error.type}}` (any module id N), or `{{N.type}}` where N is the module
 *   whose error is handled;
 * - the error message: `{{N.error.message}}`, or `{{N.message}}` with N as above;
 * - anything else (a bundle's data, a variable, a function call): decided at run time.
 * A right side `b` that is itself an expression (`{{…}}`) is decided at run time too.
 *
 * Operators: `text:equal`, `text:notequal`, `text:contain`, `text:notcontain`, `text:startswith`,
 * `text:notstartswith`, `text:endswith`, `text:notendswith`, each with a `:ci` (case-insensitive)
 * variant, and `exist` / `notexist`. Any other operator is decided at run time. Three-valued logic:
 * a group with one false condition is false even when another is unknown; a filter with one true
 * group is true even when another is unknown.
 */
import type { FilterCondition, RouteFilter } from '../model';

export type Truth = 'yes' | 'no' | 'unknown';

/** What is known about the error when a filter on an error-handler route is evaluated. */
export interface ErrorFacts {
  /** The module whose error the route handles (for `{{N.type}}`). */
  readonly ownerIds: readonly number[];
  readonly type: string;
  /** The error message, when the caller knows it. */
  readonly message?: string;
}

export type ConditionSubject = 'type' | 'message' | 'data';

const ERROR_FIELD_RE = /^\{\{\s*(\d+)\.(error\.)?(type|message)\s*\}\}$/;
const EXPRESSION_RE = /\{\{[\s\S]*\}\}/;

/** What the left side of a condition refers to. */
export function conditionSubject(c: FilterCondition, ownerIds: readonly number[]): ConditionSubject {
  const m = ERROR_FIELD_RE.exec(c.a.trim());
  if (!m) return 'data';
  if (m[2] === undefined && !ownerIds.includes(Number(m[1]))) return 'data';
  return m[3] === 'type' ? 'type' : 'message';
}

function textTest(op: string, value: string, b: string): boolean | undefined {
  const ci = op.endsWith(':ci');
  const base = ci ? op.slice(0, -3) : op;
  const v = ci ? value.toLowerCase() : value;
  const w = ci ? b.toLowerCase() : b;
  switch (base) {
    case 'text:equal':
      return v === w;
    case 'text:notequal':
      return v !== w;
    case 'text:contain':
      return v.includes(w);
    case 'text:notcontain':
      return !v.includes(w);
    case 'text:startswith':
      return v.startsWith(w);
    case 'text:notstartswith':
      return !v.startsWith(w);
    case 'text:endswith':
      return v.endsWith(w);
    case 'text:notendswith':
      return !v.endsWith(w);
    default:
      return undefined;
  }
}

/** One condition: yes / no, or unknown when it depends on something not given. */
export function evaluateCondition(c: FilterCondition, facts: ErrorFacts): Truth {
  const subject = conditionSubject(c, facts.ownerIds);
  if (subject === 'data') return 'unknown';
  const value = subject === 'type' ? facts.type : facts.message;
  if (value === undefined) return 'unknown';
  if (c.o === 'exist') return value !== '' ? 'yes' : 'no';
  if (c.o === 'notexist') return value === '' ? 'yes' : 'no';
  if (c.b === undefined || EXPRESSION_RE.test(c.b)) return 'unknown';
  const r = textTest(c.o, value, c.b);
  return r === undefined ? 'unknown' : r ? 'yes' : 'no';
}

/** A whole filter (OR of AND-groups). An empty filter (no groups) lets everything through. */
export function evaluateFilter(filter: RouteFilter | undefined, facts: ErrorFacts): Truth {
  if (!filter || filter.conditions.length === 0) return 'yes';
  let result: Truth = 'no';
  for (const group of filter.conditions) {
    let g: Truth = 'yes';
    for (const c of group) {
      const t = evaluateCondition(c, facts);
      if (t === 'no') {
        g = 'no';
        break;
      }
      if (t === 'unknown') g = 'unknown';
    }
    if (g === 'yes') return 'yes';
    if (g === 'unknown') result = 'unknown';
  }
  return result;
}

/**
 * What an unknown filter depends on: `message` when one of its undecided conditions is on the
 * error message (and the message is not given), else `data`.
 */
export function undecidedInput(filter: RouteFilter | undefined, facts: ErrorFacts): 'message' | 'data' {
  for (const group of filter?.conditions ?? []) {
    for (const c of group) {
      if (evaluateCondition(c, facts) === 'unknown' && conditionSubject(c, facts.ownerIds) === 'message') {
        const typeOnly = c.b !== undefined && !EXPRESSION_RE.test(c.b);
        if (typeOnly || c.o === 'exist' || c.o === 'notexist') return 'message';
      }
    }
  }
  return 'data';
}

/** True when some condition of the filter is on something other than the error type. */
export function testsBeyondType(filter: RouteFilter | undefined, ownerIds: readonly number[]): boolean {
  return (filter?.conditions ?? []).some((g) => g.some((c) => conditionSubject(c, ownerIds) !== 'type'));
}

const OPERATOR_WORDS: Readonly<Record<string, string>> = {
  'text:equal': 'is',
  'text:notequal': 'is not',
  'text:contain': 'contains',
  'text:notcontain': 'does not contain',
  'text:startswith': 'starts with',
  'text:notstartswith': 'does not start with',
  'text:endswith': 'ends with',
  'text:notendswith': 'does not end with',
};

/** `the error message contains "timeout"`, `{{1.status}} is "paid"`, … */
export function describeCondition(c: FilterCondition, ownerIds: readonly number[]): string {
  const subject = conditionSubject(c, ownerIds);
  const left = subject === 'type' ? 'the error type' : subject === 'message' ? 'the error message' : c.a;
  if (c.o === 'exist') return `${left} exists`;
  if (c.o === 'notexist') return `${left} does not exist`;
  const ci = c.o.endsWith(':ci');
  const base = ci ? c.o.slice(0, -3) : c.o;
  const word = OPERATOR_WORDS[base];
  const right = c.b === undefined ? '' : subject === 'type' && !EXPRESSION_RE.test(c.b) ? c.b : JSON.stringify(c.b);
  return word ? `${left} ${word} ${right}${ci ? ' (ignoring case)' : ''}` : `${left} ${c.o} ${right}`.trim();
}

/** The whole filter in words: groups joined by "or", conditions by "and". */
export function describeFilter(filter: RouteFilter, ownerIds: readonly number[]): string {
  const groups = filter.conditions.map((g) => g.map((c) => describeCondition(c, ownerIds)).join(' and '));
  const text = groups.length > 1 ? groups.map((g) => (g.includes(' and ') ? `(${g})` : g)).join(' or ') : (groups[0] ?? 'always');
  return filter.name ? `filter "${filter.name}": ${text}` : text;
}

/**
 * The error types of a filter that is nothing but "the type is A" or "the type is B" (one
 * `text:equal` condition per group, on the error type): the blueprint form of the YAML `errors:`
 * list. Undefined for any other filter.
 */
export function plainTypeList(filter: RouteFilter, ownerIds: readonly number[]): string[] | undefined {
  if (filter.conditions.length === 0) return undefined;
  const out: string[] = [];
  for (const group of filter.conditions) {
    if (group.length !== 1) return undefined;
    const c = group[0];
    if (c.o !== 'text:equal' || c.b === undefined || EXPRESSION_RE.test(c.b) || c.b.trim() === '') return undefined;
    if (conditionSubject(c, ownerIds) !== 'type') return undefined;
    if (!out.includes(c.b.trim())) out.push(c.b.trim());
  }
  return out;
}

/** The blueprint filter for a YAML `errors:` list (and an optional extra condition, ANDed with each type). */
export function typeListFilter(
  ownerId: number,
  types: readonly string[],
  extra?: readonly (readonly FilterCondition[])[],
): { name: string; conditions: FilterCondition[][] } {
  const typeCond = (t: string): FilterCondition => ({ a: `{{${ownerId}.error.type}}`, o: 'text:equal', b: t });
  const groups: FilterCondition[][] = [];
  if (!extra || extra.length === 0) for (const t of types) groups.push([typeCond(t)]);
  else for (const g of extra) for (const t of types) groups.push([typeCond(t), ...g]);
  return { name: types.join(', '), conditions: groups };
}

/** True when a text is an IML expression (`{{…}}`) rather than a literal. */
export function isExpression(text: string): boolean {
  return EXPRESSION_RE.test(text);
}

/** The literal a constant expression stands for (`{{true}}` → true, `{{3}}` → 3); undefined otherwise. */
export function constantOf(text: string): boolean | number | undefined {
  const m = /^\{\{\s*([^{}]*?)\s*\}\}$/.exec(text.trim());
  if (!m) return undefined;
  if (m[1] === 'true') return true;
  if (m[1] === 'false') return false;
  if (/^[+-]?\d+(\.\d+)?$/.test(m[1])) return Number(m[1]);
  return undefined;
}
