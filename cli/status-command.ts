// `cascade status <component[@branch]|name:stream|NSVC|NVR|compose id|commit>`: where a thing is in the
// pipeline — the overview's verdict, then its source, builds under way, newest build and compose, and
// lineage both ways. `--json` prints the API's answer as it is.
import type { Command } from 'commander';
import type { PipelineOverviewAnswer } from '../api/routes/pipeline.schemas';
import { relativeTime, shortHash } from '../domain/pipeline';
import type { ApiClient } from './api-client';

export function formatOverview(o: PipelineOverviewAnswer, now: Date): string[] {
  const ago = (at: string | null) => (at ? ` ${relativeTime(at, now)}` : '');
  const lines = [o.verdict, ''];
  const row = (label: string, text: string) => lines.push(`${label.padEnd(11)}${text}`);
  if (o.source)
    row(
      'source',
      `${o.source.repo}@${o.source.branch} ${shortHash(o.source.commit)}, pushed by ${o.source.pushedBy}${ago(o.source.pushedAt)}`,
    );
  for (const u of o.underway) {
    const where = u.campaignId ? `campaign ${u.campaignId}${u.tier === null ? '' : ` tier ${u.tier}`}` : u.workflowId;
    const waiting = u.waitingFor.length > 0 ? `, waiting for ${u.waitingFor.join(', ')}` : '';
    row(
      'under way',
      `${u.module} ${u.state} (${where}, started${ago(u.startedAt)})${waiting}${u.live ? '' : ' [store]'}`,
    );
  }
  if (o.latestBuild) {
    const b = o.latestBuild;
    const ci = b.ciOutcome ? `, CI ${b.ciOutcome}` : '';
    row(
      'built',
      `${b.nvr ? `${b.nvr} in ` : ''}${b.nsvc} ${b.state}${ci},${ago(b.builtAt)} from ${shortHash(b.fromCommit)}`,
    );
  }
  if (o.latestCompose) {
    const c = o.latestCompose;
    row('compose', `${c.composeId} ${c.status}, ${c.publication}${c.publishedAt ? ` (${c.publishedAt})` : ''}`);
  }
  lineageLines(o, row);
  if (o.links.temporal) row('temporal', o.links.temporal);
  row('dashboard', o.links.dashboard);
  return lines;
}

function lineageLines(o: PipelineOverviewAnswer, row: (label: string, text: string) => void): void {
  const { commits, builds, composes } = o.lineage;
  commits.forEach((c, i) =>
    row(
      i === 0 ? 'commits' : '',
      `${c.repo} ${shortHash(c.commit)}${c.pushedBy ? ` (${c.pushedBy})` : ''}${c.nvr ? `  ${c.nvr}` : ''}`,
    ),
  );
  builds.forEach((b, i) =>
    row(
      i === 0 ? 'builds' : '',
      `${b.nsvc} ${b.state}${b.component ? `  ${b.nvr ?? b.component} ${b.componentState ?? ''}`.trimEnd() : ''}`,
    ),
  );
  composes.forEach((c, i) =>
    row(i === 0 ? 'composes' : '', `${c.composeId} ${c.variant} ${c.status}, ${c.publication}`),
  );
}

export function registerStatusCommand(program: Command, client: () => ApiClient, json: () => boolean): void {
  program
    .command('status')
    .description(
      'where a thing is in the pipeline: a component (name or name@branch), name:stream, an NSVC, an NVR, a compose id or a commit',
    )
    .argument('<thing>', 'component[@branch] | name:stream | name:stream:version:context | NVR | compose id | commit')
    .option('--branch <branch>', "a component's branch (same as component@branch)")
    .action(async (thing: string, opts: { branch?: string }) => {
      const q = opts.branch && !thing.includes('@') && !thing.includes(':') ? `${thing}@${opts.branch}` : thing;
      const overview = await client().request<PipelineOverviewAnswer>(
        'GET',
        `/api/v1/pipeline?q=${encodeURIComponent(q)}`,
      );
      if (json()) return console.log(JSON.stringify(overview, null, 2));
      for (const line of formatOverview(overview, new Date())) console.log(line);
    });
}
