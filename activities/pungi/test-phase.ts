// test: validation of one variant before it may ship, as ResultsDB-shaped records — the dependency
// closure of its repo with the repos of the variant it builds on (compose.repoclosure), each module
// profile installing with dnf into an empty installroot (compose.module-install), and its images
// against their SHA256SUM files (compose.image-checksums). A failing variant is answered with its
// reason, never thrown; only a broken compose directory throws. Logs go to logs/<arch>/test/.
// Reuse: when the previous compose ran repoclosure and the installs of an arch on the same inputs (the
// repos' createrepo digests, the platform, the profiles) and they all passed, their results (and
// logs) are taken over, saying so; the image checksums are always checked again.
import fs from 'node:fs';
import path from 'node:path';
import { formatModuleStreamSpec, type ComposeVariant } from '../../domain/compose';
import {
  composeLayout,
  hostRpmArch,
  linkOrCopy,
  readJsonFile,
  sha256Text,
  writeFileAtomic,
  writeJsonAtomic,
} from './compose-files';
import { dnfArgs, dnfReason } from './dnf-command';
import { CHECKSUM_FILE, verifyChecksumFile } from './image-checksum-phase';
import { findVariant, readComposeId, readComposeRequest } from './init-phase';
import { runTool } from './run-tool';

export interface TestPhaseInput {
  composeDir: string;
  variant: string;
  cacheDir: string;
  /** an earlier compose of the release whose passed results may be reused */
  previousComposeDir?: string;
}

/** ResultsDB's result shape, as the module CI stores it. */
export interface ComposeTestResult {
  testcase: 'compose.repoclosure' | 'compose.module-install' | 'compose.image-checksums';
  outcome: 'PASSED' | 'FAILED' | 'INFO';
  /** <compose id>/<variant>/<arch>[/<module spec>] */
  item: string;
  data: Record<string, unknown>;
  /** the log file, or null */
  log: string | null;
  note: string;
}

export interface TestPhaseOutput {
  variant: string;
  passed: boolean;
  /** the failures in one sentence, null when passed */
  reason: string | null;
  results: ComposeTestResult[];
  resultsFile: string;
}

const REPOCLOSURE_SCRIPT = path.join(__dirname, 'repoclosure.py');

export async function testPhase(input: TestPhaseInput): Promise<TestPhaseOutput> {
  const layout = composeLayout(input.composeDir);
  const request = readComposeRequest(input.composeDir);
  const variant = findVariant(request, input.variant);
  const composeId = readComposeId(input.composeDir);
  const results: ComposeTestResult[] = [];
  const inputs: Record<string, string> = {};
  for (const arch of variant.arches) {
    const item = `${composeId}/${variant.uid}/${arch}`;
    const repos = [variant.uid, ...(variant.parent ? [variant.parent] : [])].map((uid) => layout.osTree(uid, arch));
    const missing = repos.filter((r) => !fs.existsSync(path.join(r, 'repodata', 'repomd.xml')));
    if (missing.length > 0) {
      results.push({
        testcase: 'compose.repoclosure',
        outcome: 'FAILED',
        item,
        data: { missing },
        log: null,
        note: `repositories missing: ${missing.join(', ')}`,
      });
      continue;
    }
    const context = { layout, input, platform: request.platformStream, repos, arch, item, uid: variant.uid };
    const digest = testInputsDigest(layout, variant, arch, request.platformStream);
    if (digest) inputs[arch] = digest;
    const reused =
      digest && input.previousComposeDir ? reuseResults(context, input.previousComposeDir, digest) : undefined;
    if (reused) results.push(...reused);
    else results.push(await repoclosure(context), ...(await moduleInstallsOnThisArch(context, variant)));
    results.push(await imageChecksums(layout, variant.uid, arch, item));
  }
  const failures = results.filter((r) => r.outcome === 'FAILED');
  const resultsFile = layout.testRecord(variant.uid);
  writeJsonAtomic(layout.testInputs(variant.uid), inputs);
  writeJsonAtomic(resultsFile, results);
  return {
    variant: variant.uid,
    passed: failures.length === 0,
    reason: failures.length === 0 ? null : failures.map((f) => `${f.testcase} ${f.item}: ${f.note}`).join('; '),
    results,
    resultsFile,
  };
}

interface ArchContext {
  layout: ReturnType<typeof composeLayout>;
  input: TestPhaseInput;
  platform: string;
  repos: string[];
  arch: string;
  item: string;
  uid: string;
}

/** What repoclosure and the installs of one arch depend on; undefined when a repo has no digest. */
function testInputsDigest(
  layout: ArchContext['layout'],
  variant: ComposeVariant,
  arch: string,
  platform: string,
): string | undefined {
  const repos: string[] = [];
  for (const uid of [variant.uid, ...(variant.parent ? [variant.parent] : [])]) {
    const file = layout.repoRecord(uid, arch);
    if (!fs.existsSync(file)) return undefined;
    repos.push(readJsonFile<{ inputsDigest: string }>(file, 'repo record').inputsDigest);
  }
  return sha256Text(JSON.stringify({ repos, platform, specs: variant.modules.map(formatModuleStreamSpec), arch }));
}

/** The previous compose's passed repoclosure and install results of this arch, if made from the same inputs. */
function reuseResults(c: ArchContext, previousComposeDir: string, digest: string): ComposeTestResult[] | undefined {
  const previous = composeLayout(previousComposeDir);
  const inputsFile = previous.testInputs(c.uid);
  const resultsFile = previous.testRecord(c.uid);
  if (!fs.existsSync(inputsFile) || !fs.existsSync(resultsFile)) return undefined;
  if (readJsonFile<Record<string, string>>(inputsFile, 'previous test inputs')[c.arch] !== digest) return undefined;
  const previousId = readComposeId(previousComposeDir);
  const prefix = `${previousId}/${c.uid}/${c.arch}`;
  const earlier = readJsonFile<ComposeTestResult[]>(resultsFile, 'previous test results').filter(
    (r) =>
      (r.item === prefix || r.item.startsWith(`${prefix}/`)) &&
      (r.testcase === 'compose.repoclosure' || r.testcase === 'compose.module-install'),
  );
  if (earlier.length === 0 || earlier.some((r) => r.outcome === 'FAILED')) return undefined;
  return earlier.map((r) => {
    let log: string | null = null;
    if (r.log && fs.existsSync(r.log)) {
      log = path.join(c.layout.log(c.arch, ''), path.relative(previous.log(c.arch, ''), r.log));
      linkOrCopy(r.log, log);
    }
    return {
      ...r,
      item: `${c.item}${r.item.slice(prefix.length)}`,
      data: { ...r.data, reusedFrom: previousId },
      log,
      note: `reused from ${previousId}: the same repositories, platform and profiles`,
    };
  });
}

async function repoclosure(c: ArchContext): Promise<ComposeTestResult> {
  const root = c.layout.scratch(`repoclosure-${c.uid}-${c.arch}`);
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(root, { recursive: true });
  const run = await runTool('/usr/bin/python3', [REPOCLOSURE_SCRIPT, root, c.input.cacheDir, c.platform, ...c.repos]);
  fs.rmSync(root, { recursive: true, force: true });
  const log = c.layout.log(c.arch, `test/repoclosure-${c.uid}.log`);
  writeFileAtomic(log, run.output);
  const base = { testcase: 'compose.repoclosure' as const, item: c.item, log };
  if (run.exitCode !== 0)
    return {
      ...base,
      outcome: 'FAILED',
      data: { exitCode: run.exitCode },
      note: `repoclosure did not run: ${run.output.trim().split('\n').at(-1)}`,
    };
  const answer = JSON.parse(run.output.trim().split('\n').at(-1)!) as {
    checked: number;
    unresolved: Record<string, string[]>;
  };
  const broken = Object.entries(answer.unresolved).sort(([a], [b]) => (a < b ? -1 : 1));
  if (broken.length === 0) return { ...base, outcome: 'PASSED', data: { checked: answer.checked }, note: '' };
  return {
    ...base,
    outcome: 'FAILED',
    data: { checked: answer.checked, unresolved: answer.unresolved },
    note: `unresolved dependencies: ${broken.map(([pkg, reqs]) => `${pkg} requires ${reqs.join(', ')}`).join('; ')}`,
  };
}

async function moduleInstallsOnThisArch(c: ArchContext, variant: ComposeVariant): Promise<ComposeTestResult[]> {
  if (c.arch === hostRpmArch()) return moduleInstalls(c, variant);
  return [
    {
      testcase: 'compose.module-install',
      outcome: 'INFO',
      item: c.item,
      data: {},
      log: null,
      note: `not run: this machine installs ${hostRpmArch()}`,
    },
  ];
}

async function moduleInstalls(c: ArchContext, variant: ComposeVariant): Promise<ComposeTestResult[]> {
  const results: ComposeTestResult[] = [];
  for (const spec of variant.modules.map(formatModuleStreamSpec)) {
    const root = c.layout.scratch(`install-${c.uid}-${c.arch}-${spec.replace(/[:/]/g, '-')}`);
    fs.rmSync(root, { recursive: true, force: true });
    fs.mkdirSync(root, { recursive: true });
    const args = [
      ...dnfArgs({ installroot: root, cacheDir: c.input.cacheDir, platformStream: c.platform, repos: c.repos }),
      'module',
      'install',
      spec,
    ];
    const run = await runTool('dnf', args);
    const installed =
      run.exitCode === 0
        ? (await runTool('rpm', ['--root', root, '-qa', '--qf', '%{NAME}\\n'])).output
            .split('\n')
            .filter(Boolean)
            .sort()
        : [];
    fs.rmSync(root, { recursive: true, force: true });
    const log = c.layout.log(c.arch, `test/module-install-${c.uid}-${spec.replace(/[:/]/g, '-')}.log`);
    writeFileAtomic(log, `$ dnf ${args.join(' ')}\n${run.output}`);
    const base = { testcase: 'compose.module-install' as const, item: `${c.item}/${spec}`, log };
    if (run.exitCode !== 0)
      results.push({ ...base, outcome: 'FAILED', data: { exitCode: run.exitCode }, note: dnfReason(run.output) });
    else if (installed.length === 0)
      results.push({ ...base, outcome: 'FAILED', data: { installed }, note: 'dnf installed nothing' });
    else results.push({ ...base, outcome: 'PASSED', data: { installed }, note: '' });
  }
  return results;
}

async function imageChecksums(
  layout: ArchContext['layout'],
  uid: string,
  arch: string,
  item: string,
): Promise<ComposeTestResult> {
  const files = [layout.isoDir(uid, arch), layout.imagesDir(uid, arch)]
    .map((d) => path.join(d, CHECKSUM_FILE))
    .filter((f) => fs.existsSync(f));
  const problems = (await Promise.all(files.map(verifyChecksumFile))).flat();
  const base = { testcase: 'compose.image-checksums' as const, item, log: null, data: { checksumFiles: files } };
  if (files.length === 0)
    return { ...base, outcome: 'FAILED', note: 'no SHA256SUM next to the images (did image_checksum run?)' };
  return problems.length === 0
    ? { ...base, outcome: 'PASSED', note: '' }
    : { ...base, outcome: 'FAILED', note: problems.join('; ') };
}
