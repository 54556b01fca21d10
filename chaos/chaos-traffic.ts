// What the chaos harness does from outside while it kills processes: follows the outbox over the API
// (to see when work resumes after a kill), sends a stream of API writes (token creations: each 2xx must
// be in the store afterwards), and pushes to dist-git with plain git (each push that git accepted must
// reach the store and start its campaign, through the hook or its spool).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { specOf, CHANGED_COMPONENT, CHAOS_BRANCH } from './chaos-distribution';

export interface AcceptedPush {
  component: string;
  hash: string;
  /** a push of the changed component on the campaign branch starts a campaign */
  startsCampaign: boolean;
}

export interface AcceptedWrites {
  tokens: string[];
  pushes: AcceptedPush[];
  /** requests answered 5xx or not answered at all (allowed: nothing is promised for them) */
  refused: number;
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return res.json();
}

/** The outbox's newest event times, read page by page while the API answers. */
export class EventFollower {
  private cursor = 0;
  private readonly times: number[] = [];
  private stopped = false;
  private loop: Promise<void> | undefined;

  constructor(private readonly apiUrl: string) {}

  start(): void {
    this.loop = (async () => {
      while (!this.stopped) {
        try {
          const page = (await getJson(`${this.apiUrl}/api/v1/events?after=${this.cursor}&limit=1000`)) as {
            items: { id: number | string; createdAt: string }[];
          };
          for (const item of page.items) {
            this.cursor = Math.max(this.cursor, Number(item.id));
            this.times.push(Date.parse(item.createdAt));
          }
          if (page.items.length === 1000) continue;
        } catch {
          // the API or the database is down: try again
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
  }

  /** The first event written at or after `since` (ms), if one was seen. */
  firstSince(since: number): number | undefined {
    return this.times.find((t) => t >= since);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }
}

/**
 * API writes at random intervals: a token for a reader each time (the ids answered 201 are kept), and
 * every few a push to a component no module holds (recorded in branch history, starting nothing).
 */
export class RequestStream {
  private stopped = false;
  private loop: Promise<void> | undefined;
  private n = 0;

  constructor(
    private readonly apiUrl: string,
    private readonly adminToken: string,
    private readonly random: () => number,
    private readonly accepted: AcceptedWrites,
    private readonly sidePusher: ComponentPusher,
  ) {}

  start(): void {
    this.loop = (async () => {
      while (!this.stopped) {
        this.n += 1;
        if (this.n % 5 === 0) this.accepted.pushes.push(this.sidePusher.push());
        try {
          const res = await fetch(`${this.apiUrl}/api/v1/tokens`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${this.adminToken}` },
            body: JSON.stringify({ user: 'chaos-reader', role: 'reader', description: `chaos request ${this.n}` }),
            signal: AbortSignal.timeout(10_000),
          });
          if (res.status === 201) this.accepted.tokens.push(((await res.json()) as { id: string }).id);
          else this.accepted.refused += 1;
        } catch {
          this.accepted.refused += 1;
        }
        await new Promise((r) => setTimeout(r, 300 + this.random() * 1200));
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }
}

/** A packager's clone of a component: each push() commits a new release and pushes it (git runs the hook). */
export class ComponentPusher {
  private release = 1;
  private readonly env: Record<string, string>;

  constructor(
    private readonly component: string,
    private readonly remote: string,
    private readonly workDir: string,
  ) {
    fs.mkdirSync(path.join(workDir, 'home'), { recursive: true });
    this.env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: path.join(workDir, 'home'),
      GIT_AUTHOR_NAME: 'Chaos Packager',
      GIT_AUTHOR_EMAIL: 'packager@example.org',
      GIT_COMMITTER_NAME: 'Chaos Packager',
      GIT_COMMITTER_EMAIL: 'packager@example.org',
      USER: 'packager',
    };
  }

  private git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.clone, env: this.env, encoding: 'utf8', stdio: 'pipe' }).trim();
  }

  private get clone(): string {
    return path.join(this.workDir, this.component);
  }

  /** Answers the pushed commit once git accepted the push. */
  push(): AcceptedPush {
    if (!fs.existsSync(this.clone))
      execFileSync('git', ['clone', '--quiet', '--branch', CHAOS_BRANCH, this.remote, this.clone], { env: this.env });
    this.release += 1;
    fs.writeFileSync(path.join(this.clone, `${this.component}.spec`), specOf(this.component, this.release));
    this.git('commit', '--quiet', '-am', `${this.component}: release ${this.release}`);
    this.git('push', '--quiet', 'origin', CHAOS_BRANCH);
    const hash = this.git('rev-parse', 'HEAD');
    return { component: this.component, hash, startsCampaign: this.component === CHANGED_COMPONENT };
  }
}
