// The one sentence a person reads at a glance, e.g. "nodejs:10 built 2 h ago from 3f2a1c9, in compose
// F29-20261130.n.0, not yet published". Everything it says is in the answer beside it.
import type { PipelineOverview } from './overview';
import { relativeTime, shortHash } from './relative-time';

type Facts = Omit<PipelineOverview, 'verdict' | 'links'>;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function pipelineVerdict(facts: Facts, now: Date): string {
  if (facts.kind === 'compose') return composeVerdict(facts, now);
  if (facts.kind === 'commit') return commitVerdict(facts, now);
  return buildVerdict(facts, now);
}

function label(facts: Facts): string {
  if (facts.kind !== 'component') return facts.key;
  const [name, branch] = facts.key.split('@');
  return branch ? `${name} on ${branch}` : facts.key;
}

function buildVerdict(facts: Facts, now: Date): string {
  const { latestBuild: build, latestCompose: compose, source } = facts;
  const sentences: string[] = [];
  if (build) {
    const when = build.builtAt ? ` ${relativeTime(build.builtAt, now)}` : '';
    const inModule = facts.kind === 'component' || facts.kind === 'nvr' ? ` in ${build.nsvc}` : '';
    const where = compose
      ? `in compose ${compose.composeId}, ${compose.publication}`
      : facts.kind === 'module' || facts.kind === 'component'
        ? 'in no compose yet'
        : 'in no compose';
    const ci = build.ciOutcome === 'FAILED' ? ' (CI failed)' : '';
    sentences.push(`${label(facts)} built${when} from ${shortHash(build.fromCommit)}${inModule}${ci}, ${where}`);
  } else if (facts.underway.length === 0) {
    sentences.push(`${label(facts)} has no ready build`);
  }
  const underway = facts.underway[0];
  if (underway) sentences.push(underwayClause(facts, underway, !build));
  else if (source && build && source.commit !== build.fromCommit && facts.kind !== 'nsvc' && facts.kind !== 'nvr')
    sentences.push(
      `newest commit ${shortHash(source.commit)} (pushed by ${source.pushedBy} ${relativeTime(source.pushedAt, now)}) is not built yet`,
    );
  return sentences.join('; ');
}

function underwayClause(facts: Facts, u: Facts['underway'][number], first: boolean): string {
  const subject = first ? `${label(facts)} is being built` : 'a new build is under way';
  const where = u.campaignId
    ? `in campaign ${u.campaignId}${u.tier === null ? '' : ` (tier ${u.tier}, ${u.state})`}`
    : `(${u.module}, ${u.state})`;
  const waiting = u.waitingFor.length > 0 ? `, waiting for ${u.waitingFor.join(', ')}` : '';
  const more = facts.underway.length > 1 ? ` and ${plural(facts.underway.length - 1, 'more build')}` : '';
  return `${subject} ${where}${waiting}${more}`;
}

function composeVerdict(facts: Facts, now: Date): string {
  const compose = facts.latestCompose;
  if (!compose) return `${facts.key} is not known`;
  const holds = plural(facts.lineage.builds.length, 'module build');
  if (compose.status === 'STARTED') return `${facts.key} is running, ${holds} so far`;
  const when = compose.finishedAt ? ` ${relativeTime(compose.finishedAt, now)}` : '';
  const published =
    compose.published && compose.publishedAt
      ? `published ${relativeTime(compose.publishedAt, now)}`
      : compose.publication;
  return `${facts.key} ${compose.status.toLowerCase().replace('_', ' ')}${when}, holds ${holds}, ${published}`;
}

function commitVerdict(facts: Facts, now: Date): string {
  const commit = facts.lineage.commits[0];
  const who = commit?.pushedBy ? `, pushed by ${commit.pushedBy} ${relativeTime(commit.pushedAt!, now)}` : '';
  const head = `${shortHash(facts.key)} (${commit?.repo ?? 'unknown repository'}${who})`;
  const builds = facts.lineage.builds.length;
  if (builds === 0) return `${head} is in no build yet`;
  const composes = facts.lineage.composes;
  const published = composes.filter((c) => c.publication === 'published').length;
  const inComposes =
    composes.length === 0 ? 'in no compose' : `in ${plural(composes.length, 'compose')} (${published} published)`;
  return `${head} is in ${plural(builds, 'module build')}, ${inComposes}`;
}
