/**
 * api/resultsdb/: ResultsDB 2.x's API over Cascade's CI results — how results, test cases and groups
 * look as ResultsDB's serializer writes them, the groups Cascade has (one per CI run, one per
 * campaign, with UUIDs derived from their keys), and ResultsDB's query parameters. Imported by
 * api/routes/resultsdb.ts only.
 */
import type { ListedCiResult } from '../../store/ci-results';
import { noteOf } from '../../store/ci-results';
import { groupDescription, groupUuid, resultGroupUuids } from '../../domain/resultsdb';
import type { GroupRow } from '../../store/resultsdb-queries';

/** ResultsDB's preset outcomes plus ERROR, as a deployment with ADDITIONAL_RESULT_OUTCOMES = ['ERROR'] has them. */
export const OUTCOMES = ['PASSED', 'INFO', 'FAILED', 'NEEDS_INSPECTION', 'ERROR'] as const;

export const API_PREFIX = '/api/v2.0';

/** Python's datetime.isoformat() of a naive UTC time, as ResultsDB stores and answers submit_time. */
export function pythonIsoTime(date: Date): string {
  const text = date.toISOString().replace(/Z$/, '');
  const millis = date.getUTCMilliseconds();
  return millis === 0 ? text.replace(/\.\d{3}$/, '') : `${text}000`;
}

const segments = (path: string) => path.split('/').map(encodeURIComponent).join('/');

export function testcaseView(base: string, name: string) {
  return { name, ref_url: null, href: `${base}${API_PREFIX}/testcases/${segments(name)}` };
}

export function groupView(base: string, group: GroupRow) {
  const uuid = groupUuid(group.kind, group.key);
  const refUrl =
    group.kind === 'campaign'
      ? `${base}/api/v1/campaigns/${encodeURIComponent(group.key)}`
      : `${base}/api/v1/ci/results?runKey=${encodeURIComponent(group.key)}`;
  return {
    uuid,
    description: groupDescription(group.kind, group.key),
    ref_url: refUrl,
    results: `${base}${API_PREFIX}/results?groups=${uuid}`,
    results_count: group.results,
    href: `${base}${API_PREFIX}/groups/${uuid}`,
  };
}

const asText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/**
 * A result's extra data as ResultsDB keeps it, every value a list of strings: the item and its type,
 * the CI run, the campaign and the duration from their columns, then what the check recorded (its
 * note is the result's own field).
 */
export function resultData(row: ListedCiResult): Record<string, string[]> {
  const data: Record<string, string[]> = { item: [row.item], type: [row.itemType] };
  if (row.runKey) data.run_key = [row.runKey];
  if (row.campaignId) data.campaign = [row.campaignId];
  if (row.durationMs !== null) data.duration_ms = [String(row.durationMs)];
  const stored = row.data;
  if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return data;
  for (const [key, value] of Object.entries(stored)) {
    if (key === 'note' || key in data || value === null || value === undefined) continue;
    data[key] = Array.isArray(value) ? value.map(asText) : [asText(value)];
  }
  return data;
}

/** A result as ResultsDB's api_v2 serializer writes it. */
export function resultView(base: string, row: ListedCiResult) {
  return {
    id: Number(row.id),
    groups: resultGroupUuids(row.runKey, row.campaignId),
    testcase: testcaseView(base, row.testcase),
    submit_time: pythonIsoTime(row.createdAt),
    outcome: row.outcome,
    note: noteOf(row.data),
    ref_url: `${base}/api/v1/ci/results/${row.id}/log`,
    data: resultData(row),
    href: `${base}${API_PREFIX}/results/${row.id}`,
  };
}
