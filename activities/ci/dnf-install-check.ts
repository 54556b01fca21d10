// dnf.install: the module's binary RPMs install together into an empty installroot, from the build's
// repository and those of the module builds it depends on, as a user would get them. Modular RPMs
// are hidden until their stream is enabled, so the module's stream and its dependencies' streams are
// enabled first (`dnf module enable`), then every binary RPM of the build is installed by name. The
// installroot stays for the module's own tests.
import fs from 'node:fs';
import type { ModuleStreamV2 } from '../../domain/modulemd';
import { describeFailure, runCiProcess, type CiProcessRun } from './ci-process';
import { firstLine, type CheckResult } from './module-ci';
import type { ResolvedDependencies } from './module-dependencies';

export const DNF_INSTALL_TESTCASE = 'dnf.install';
const DNF_TIMEOUT_MS = 30 * 60_000;
const DEFAULT_PLATFORM = 'f29';

export interface DnfInstallCheckInput {
  nsvc: string;
  /** undefined when the modulemd does not parse (modulemd.valid says why) */
  stream: ModuleStreamV2 | undefined;
  repoDir: string;
  dependencies: ResolvedDependencies | undefined;
  installroot: string;
  cacheDir: string;
  env: Record<string, string>;
  signal?: AbortSignal;
}

/** Binary package names from modulemd artifacts (name-epoch:version-release.arch); source RPMs left out. */
export function binaryRpmNames(artifacts: string[]): string[] {
  const names = new Set<string>();
  for (const nevra of artifacts) {
    const match = /^(.+)-\d+:[^-]+-[^-]+\.([^.]+)$/.exec(nevra);
    if (match && match[2] !== 'src' && match[2] !== 'nosrc') names.add(match[1]!);
  }
  return [...names].sort();
}

export async function checkDnfInstall(input: DnfInstallCheckInput): Promise<CheckResult> {
  const started = performance.now();
  const log: string[] = [];
  const data: Record<string, unknown> = { installroot: input.installroot };
  const done = (outcome: CheckResult['outcome'], note: string) => ({
    testcase: DNF_INSTALL_TESTCASE,
    outcome,
    durationMs: Math.round(performance.now() - started),
    note,
    log: log.join('\n'),
    data,
  });
  const { stream, dependencies } = input;
  if (!stream || !dependencies) return done('FAILED', 'the modulemd does not parse (see modulemd.valid)');
  const names = binaryRpmNames(stream.artifacts.rpms);
  data.rpms = names;
  if (names.length === 0) return done('FAILED', "the modulemd's artifacts list no binary RPMs");
  if (dependencies.unsatisfied.length > 0)
    return done('FAILED', `unsatisfied module requirements: ${dependencies.unsatisfied.join(', ')}`);
  const repos = [{ nsvc: input.nsvc, repoDir: input.repoDir }, ...dependencies.repos];
  data.repos = repos.map((r) => r.repoDir);
  const missing = repos.filter((r) => !fs.existsSync(r.repoDir));
  if (missing.length > 0)
    return done('ERROR', `module repositories missing: ${missing.map((r) => `${r.nsvc} (${r.repoDir})`).join(', ')}`);

  fs.rmSync(input.installroot, { recursive: true, force: true });
  fs.mkdirSync(input.installroot, { recursive: true });
  const platform = dependencies.platformStream ?? DEFAULT_PLATFORM;
  const common = [
    '-y',
    `--installroot=${input.installroot}`,
    `--releasever=${/\d+/.exec(platform)?.[0] ?? platform}`,
    `--setopt=module_platform_id=platform:${platform}`,
    '--setopt=reposdir=/dev/null',
    `--setopt=cachedir=${input.cacheDir}`,
    '--nogpgcheck',
    ...repos.flatMap((r, i) => [`--repofrompath=ci${i},${r.repoDir}`, `--repo=ci${i}`]),
  ];
  const moduleStreams = [
    `${stream.name}:${stream.stream}`,
    ...dependencies.repos.map((r) => `${r.module}:${r.stream}`),
  ];
  const dnf = async (args: string[]): Promise<CiProcessRun> => {
    log.push(`$ dnf ${args.join(' ')}`);
    const run = await runCiProcess({
      command: 'dnf',
      args,
      cwd: input.installroot,
      env: input.env,
      timeoutMs: DNF_TIMEOUT_MS,
      signal: input.signal,
    });
    log.push(run.output.trimEnd());
    return run;
  };
  const steps = [
    { label: 'dnf module enable', args: ['module', 'enable', ...moduleStreams] },
    { label: 'dnf install', args: ['install', ...names] },
  ];
  for (const step of steps) {
    const run = await dnf([...common, ...step.args]);
    if (run.spawnError || run.timedOut || run.aborted) return done('ERROR', describeFailure(run, DNF_TIMEOUT_MS));
    data.exitCode = run.exitCode;
    if (run.exitCode !== 0) return done('FAILED', `${step.label}: ${dnfError(run.output) || describeFailure(run, 0)}`);
  }
  const installed = await runCiProcess({
    command: 'rpm',
    args: ['--root', input.installroot, '-qa', '--qf', '%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}\\n'],
    cwd: input.installroot,
    env: input.env,
    timeoutMs: 60_000,
  });
  data.installed = installed.output.split('\n').filter(Boolean).sort();
  return done('PASSED', '');
}

/** dnf's own explanation: its first "Error"/"Problem" line and the one after it, else its last line. */
function dnfError(output: string): string {
  const lines = output.split('\n').map((l) => l.trim());
  const at = lines.findIndex((l) => /^(Error|Problem|No match|Unable to resolve)/i.test(l));
  if (at >= 0) return firstLine([lines[at], lines[at + 1]].filter(Boolean).join(' '));
  return firstLine(lines.filter(Boolean).at(-1) ?? '');
}
