// ResultsDB 2.x's query parameters, read as its pydantic models read them: `page` and `limit`,
// comma-separated lists (`testcases`, `testcases:like`, `outcome`, `groups`, `_distinct_on`), `since`
// as one or two ISO 8601 times, `_sort`, and every other parameter a filter on the results' extra data
// (`item=a,b`, `item:like=core:*`). A bad value is a ValidationFailure answered as ResultsDB does.
import type { DataFilter } from '../../store/resultsdb-queries';
import { OUTCOMES } from './resultsdb-shape';

export interface ValidationIssue {
  loc: string[];
  msg: string;
  type: string;
  input: string;
}

export class ValidationFailure extends Error {
  constructor(readonly issues: ValidationIssue[]) {
    super(issues.map((i) => `${i.loc.join('.')}: ${i.msg}`).join('; '));
  }
}

/** Rows beyond this per page are refused (ResultsDB has no ceiling; one page must stay one query's worth). */
export const MAX_LIMIT = 1000;
const DEFAULT_LIMIT = 20;

const RESERVED = [
  '_sort',
  'limit',
  'page',
  'testcases',
  'testcases:like',
  'groups',
  '_distinct_on',
  'outcome',
  'since',
];

function list(params: URLSearchParams, name: string): string[] | undefined {
  const values = params.getAll(name);
  if (values.length === 0) return undefined;
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

class Reader {
  readonly issues: ValidationIssue[] = [];
  constructor(readonly params: URLSearchParams) {}

  integer(name: string, fallback: number, max?: number): number {
    const text = this.params.get(name);
    if (text === null) return fallback;
    if (!/^\s*[+-]?\d+\s*$/.test(text)) {
      this.issues.push({
        loc: [name],
        msg: 'Input should be a valid integer, unable to parse string as an integer',
        type: 'int_parsing',
        input: text,
      });
      return fallback;
    }
    const value = Number.parseInt(text, 10);
    if (max !== undefined && value > max) {
      this.issues.push({
        loc: [name],
        msg: `Input should be less than or equal to ${max}`,
        type: 'less_than_equal',
        input: text,
      });
    }
    return value;
  }

  since(): { start: Date; end?: Date } | undefined {
    const text = this.params.get('since');
    if (text === null) return undefined;
    const [start, end] = text.split(',').map(isoTime);
    if (!start || end === null) {
      this.issues.push({
        loc: ['since'],
        msg: 'Value error, must be in ISO8601 format',
        type: 'value_error',
        input: text,
      });
      return undefined;
    }
    return { start, end };
  }

  outcomes(): string[] | undefined {
    const values = list(this.params, 'outcome')?.map((v) => v.toUpperCase());
    if (values?.some((v) => !(OUTCOMES as readonly string[]).includes(v))) {
      this.issues.push({
        loc: ['outcome'],
        msg: `Value error, must be one of: ${OUTCOMES.join(', ')}`,
        type: 'value_error',
        input: this.params.getAll('outcome').join(','),
      });
    }
    return values;
  }

  done<T>(value: T): T {
    if (this.issues.length) throw new ValidationFailure(this.issues);
    return value;
  }
}

/**
 * An ISO 8601 time as iso8601.parse_date reads it (date, optional time, optional zone; a time
 * without a zone is UTC); undefined when there is no text, null when it does not parse.
 */
function isoTime(text: string | undefined): Date | null | undefined {
  if (text === undefined) return undefined;
  const match =
    /^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i.exec(
      text.trim(),
    );
  if (!match) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction = '0', zone = 'Z'] = match;
  const offset =
    zone.toUpperCase() === 'Z' ? 'Z' : zone.length === 3 ? `${zone}:00` : zone.replace(/^(.\d{2})(\d{2})$/, '$1:$2');
  const ms = fraction.padEnd(3, '0').slice(0, 3);
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}${offset}`);
  return Number.isNaN(date.getTime()) ? null : date;
}

export interface Paging {
  page: number;
  limit: number;
  offset: number;
}

function paging(reader: Reader): Paging {
  const page = reader.integer('page', 0);
  const limit = reader.integer('limit', DEFAULT_LIMIT, MAX_LIMIT);
  // ResultsDB applies an offset only for a positive page, and a limit below one reads one row.
  return { page, limit: Math.max(limit, 0), offset: page > 0 ? page * Math.max(limit, 0) : 0 };
}

export interface ResultsParams {
  paging: Paging;
  ascending: boolean;
  testcases?: string[];
  testcasePatterns?: string[];
  outcomes?: string[];
  groups?: string[];
  distinctOn?: string[];
  since?: { start: Date; end?: Date };
  data: DataFilter[];
}

export function parseResultsParams(params: URLSearchParams): ResultsParams {
  const reader = new Reader(params);
  const dataKeys = [...new Set(params.keys())].filter((k) => !RESERVED.includes(k));
  const data = dataKeys.map((name): DataFilter => {
    const parts = name.split(':');
    const [key, modifier] = parts.length === 2 ? parts : [name, undefined];
    return { key: key!, like: modifier === 'like', values: list(params, name) ?? [] };
  });
  return reader.done({
    paging: paging(reader),
    ascending: params.get('_sort') === 'asc:submit_time',
    testcases: list(params, 'testcases'),
    testcasePatterns: list(params, 'testcases:like'),
    outcomes: reader.outcomes(),
    groups: list(params, 'groups'),
    distinctOn: list(params, '_distinct_on'),
    since: reader.since(),
    data: data.filter((f) => f.values.length > 0),
  });
}

export interface TestcasesParams {
  paging: Paging;
  names?: string[];
  patterns?: string[];
}

/** `name` wins over `name:like`, as in ResultsDB. */
export function parseTestcasesParams(params: URLSearchParams): TestcasesParams {
  const reader = new Reader(params);
  const names = list(params, 'name');
  return reader.done({
    paging: paging(reader),
    names,
    patterns: names?.length ? undefined : list(params, 'name:like'),
  });
}

export interface GroupsParams {
  paging: Paging;
  uuids?: string[];
  descriptions?: string[];
  descriptionPatterns?: string[];
}

export function parseGroupsParams(params: URLSearchParams): GroupsParams {
  const reader = new Reader(params);
  const descriptions = list(params, 'description');
  return reader.done({
    paging: paging(reader),
    uuids: list(params, 'uuid'),
    descriptions,
    descriptionPatterns: descriptions?.length ? undefined : list(params, 'description:like'),
  });
}
