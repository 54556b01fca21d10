// ResultsDbSink: CI results written to an external ResultsDB 2.x as well as to Cascade's store
// (CASCADE_RESULTSDB_URL), with POST /api/v2.0/results in the body resultsdb_api's create_result
// sends (outcome, testcase, groups, note, ref_url, data, _auth_token). ResultsDB has no natural key,
// so each result carries `cascade_result_key` in its data and is looked up by it before it is sent:
// a retried activity never writes a result twice. A refused result (4xx) fails for good with
// ResultsDB's message; an unreachable or failing ResultsDB (network, 5xx) is retried.
import { ApplicationFailure } from '@temporalio/activity';
import { groupDescription, groupUuid } from '../../domain/resultsdb';

export interface SinkResult {
  /** Cascade's key of the result (`<run key>/<testcase>`) */
  resultKey: string;
  testcase: string;
  outcome: string;
  note: string;
  item: string;
  itemType: string;
  runKey: string;
  campaignId: string | null;
  durationMs: number | null;
  /** what the check recorded; values become ResultsDB's lists of strings on its side */
  data: Record<string, unknown>;
  /** the result's log on the Cascade API (ref_url when the sink knows the API's public URL) */
  logPath: string | null;
}

/** Where CI results go besides the store. */
export interface CiResultSink {
  publish(results: SinkResult[]): Promise<void>;
}

export interface ResultsDbSinkOptions {
  /** ResultsDB's API root, e.g. https://resultsdb.example.org/api/v2.0 */
  url: string;
  authToken?: string;
  /** links in the results point here (the Cascade API) */
  publicUrl?: string;
}

export class ResultsDbSink implements CiResultSink {
  private readonly url: string;

  constructor(private readonly options: ResultsDbSinkOptions) {
    this.url = options.url.replace(/\/+$/, '');
  }

  async publish(results: SinkResult[]): Promise<void> {
    for (const result of results) {
      if (await this.alreadyThere(result.resultKey)) continue;
      await this.request('POST', '/results', this.body(result), result.resultKey);
    }
  }

  private async alreadyThere(resultKey: string): Promise<boolean> {
    const query = new URLSearchParams({ cascade_result_key: resultKey, limit: '1' });
    const page = (await this.request('GET', `/results?${query}`, undefined, resultKey)) as { data?: unknown[] };
    return Array.isArray(page.data) && page.data.length > 0;
  }

  private body(r: SinkResult) {
    const data: Record<string, unknown> = {
      ...withoutNote(r.data),
      item: r.item,
      type: r.itemType,
      run_key: r.runKey,
      cascade_result_key: r.resultKey,
    };
    if (r.campaignId) data.campaign = r.campaignId;
    if (r.durationMs !== null) data.duration_ms = String(r.durationMs);
    const group = (kind: 'run' | 'campaign', key: string, ref: string) => ({
      uuid: groupUuid(kind, key),
      description: groupDescription(kind, key),
      ref_url: this.options.publicUrl ? `${this.options.publicUrl}${ref}` : null,
    });
    const groups = [group('run', r.runKey, `/api/v1/ci/results?runKey=${encodeURIComponent(r.runKey)}`)];
    if (r.campaignId) groups.push(group('campaign', r.campaignId, `/api/v1/campaigns/${r.campaignId}`));
    return {
      outcome: r.outcome,
      testcase: r.testcase,
      groups,
      note: r.note,
      ref_url: r.logPath && this.options.publicUrl ? `${this.options.publicUrl}${r.logPath}` : null,
      data,
      _auth_token: this.options.authToken ?? null,
    };
  }

  private async request(method: 'GET' | 'POST', path: string, body: unknown, resultKey: string): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${this.url}${path}`, {
        method,
        headers: { accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (err) {
      throw new Error(`ResultsDB at ${this.url} is unreachable (${(err as Error).message}); result ${resultKey}`);
    }
    const text = await response.text();
    if (response.ok) return text ? (JSON.parse(text) as unknown) : {};
    const message = `ResultsDB at ${this.url} answered ${response.status} to ${method} ${path.split('?')[0]} for result ${resultKey}: ${errorMessage(text)}`;
    if (response.status >= 500 || response.status === 429) throw new Error(message);
    throw ApplicationFailure.nonRetryable(message, 'ResultsDbRefused');
  }
}

function withoutNote(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([key, v]) => key !== 'note' && v !== null && v !== undefined));
}

/** ResultsDB's `message`, or its validation errors, or the start of whatever it said. */
function errorMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; validation_error?: unknown };
    if (typeof body.message === 'string') return body.message;
    if (body.validation_error) return JSON.stringify(body.validation_error);
  } catch {
    // not JSON: say what it was
  }
  return text.slice(0, 300) || '(no body)';
}
