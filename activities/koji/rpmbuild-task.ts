// One LocalKoji build task, run as its own detached process (like a Koji builder daemon's task), so
// a worker that dies while watching it does not kill it: the next worker finds it by its task id.
//   node --import tsx activities/koji/rpmbuild-task.ts <root> <taskDir>
// Steps: check BuildRequires against the buildroot repositories with dnf, rpmbuild -ba with the
// module's macros under a time limit, then publish the RPMs as packages/<nvr> with a per-build repo.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { BuildRecord, TaskStatus } from './builder';
import { readRequest, readStatus, taskPaths, writeJsonAtomically } from './task-files';

function run(cmd: string, args: string[], log: fs.WriteStream, timeoutMs: number): Promise<string> {
  log.write(`$ ${cmd} ${args.join(' ')}\n`);
  return new Promise((resolve, reject) => {
    const child = execFile(
      cmd,
      args,
      { timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        log.write(stdout);
        log.write(stderr);
        if (err) {
          const reason = (err as { killed?: boolean }).killed
            ? `${cmd} timed out after ${Math.round(timeoutMs / 1000)} s`
            : `${cmd} failed (exit ${(err as { code?: number }).code})`;
          reject(new Error(reason));
        } else resolve(stdout);
      },
    );
    child.stdin?.end();
  });
}

const defines = (macros: Record<string, string>) =>
  Object.entries(macros).flatMap(([k, v]) => ['--define', `${k} ${v}`]);

async function checkBuildRequires(
  specFile: string,
  macros: Record<string, string>,
  repos: string[],
  taskDir: string,
  log: fs.WriteStream,
): Promise<void> {
  const requires = (await run('rpmspec', ['-q', '--buildrequires', ...defines(macros), specFile], log, 60_000))
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (requires.length === 0) return;
  // A buildroot is a plain set of RPMs, as a Koji build tag is: a buildrequired module's repository
  // carries modules metadata, and module_hotfixes keeps dnf from hiding its packages behind a stream.
  const repoArgs = repos.flatMap((dir, i) => [
    `--repofrompath=br${i},${dir}`,
    `--repo=br${i}`,
    `--setopt=br${i}.module_hotfixes=true`,
  ]);
  const missing: string[] = [];
  for (const requirement of requires) {
    const out = await run(
      'dnf',
      [
        '-q',
        'repoquery',
        '--setopt=reposdir=/dev/null',
        `--setopt=cachedir=${path.join(taskDir, 'dnf-cache')}`,
        `--installroot=${path.join(taskDir, 'dnf-root')}`,
        '--releasever=cascade',
        ...repoArgs,
        '--whatprovides',
        requirement,
      ],
      log,
      120_000,
    ).catch(() => '');
    if (!out.trim()) missing.push(requirement);
  }
  if (missing.length > 0) {
    throw new Error(
      `BuildRequires not provided by the buildroot: ${missing.join(', ')} (buildroot repositories: ${repos.length ? repos.join(', ') : 'none'})`,
    );
  }
}

/** How long a task process waits for its submitter to record its pid. */
const OWNERSHIP_WAIT_MS = 10_000;

/**
 * Whether the task's status names this process. The submitter records the pid just after spawning it;
 * one killed in between leaves a status without a pid, which the next submit takes for an attempt
 * that never ran and starts again. This process then finds another pid, or no task, or still none
 * after the wait, and leaves without building: one attempt, one rpmbuild.
 */
async function ownsTask(taskDir: string): Promise<boolean> {
  const deadline = Date.now() + OWNERSHIP_WAIT_MS;
  for (;;) {
    const status = readStatus(taskDir);
    if (status?.pid === process.pid) return true;
    if (!status || status.state !== 'running' || status.pid !== undefined || Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function main(root: string, taskDir: string): Promise<void> {
  if (!(await ownsTask(taskDir))) return;
  const files = taskPaths(taskDir);
  const request = readRequest(taskDir);
  const status = readStatus(taskDir);
  if (!request || !status) throw new Error(`${taskDir}: no request.json or status.json`);
  const log = fs.createWriteStream(files.log, { flags: 'a' });
  // The log's last line reaches the disk before the status says the task ended: whoever watches the
  // status reads the whole log once it sees an end.
  let logClosed = false;
  const finish = async (lastLine: string, patch: Partial<TaskStatus>) => {
    log.write(lastLine);
    logClosed = true;
    await new Promise<void>((resolve) => log.end(resolve));
    writeJsonAtomically(files.status, { ...status, ...patch, pid: undefined, finishedAt: new Date().toISOString() });
  };
  try {
    const spec = path.join(files.source, `${request.component}.spec`);
    if (!fs.existsSync(spec)) throw new Error(`no ${request.component}.spec at ${request.commit}`);
    await checkBuildRequires(spec, request.macros, request.buildrootRepos, taskDir, log);
    fs.rmSync(files.top, { recursive: true, force: true });
    await run(
      'rpmbuild',
      [
        '-ba',
        '--nodeps',
        '--define',
        `_topdir ${files.top}`,
        '--define',
        `_sourcedir ${files.source}`,
        ...defines(request.macros),
        spec,
      ],
      log,
      request.timeoutMs,
    );
    const srpms = fs.readdirSync(path.join(files.top, 'SRPMS'));
    const rpmDir = path.join(files.top, 'RPMS');
    const rpms = fs.existsSync(rpmDir)
      ? fs.readdirSync(rpmDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.rpm'))
      : [];
    const srpm = srpms[0]!;
    const nvr = srpm.replace(/\.src\.rpm$/, '');
    const buildDir = path.join(root, 'packages', nvr);
    const existing = fs.existsSync(path.join(buildDir, 'build.json'));
    if (existing) throw new Error(`build ${nvr} already exists from another source or buildroot: bump the release`);
    const staging = `${buildDir}.${status.taskId}.tmp`;
    fs.rmSync(staging, { recursive: true, force: true });
    fs.mkdirSync(staging, { recursive: true });
    for (const rpm of rpms) fs.copyFileSync(path.join(rpmDir, rpm), path.join(staging, path.basename(rpm)));
    fs.copyFileSync(path.join(files.top, 'SRPMS', srpm), path.join(staging, srpm));
    await run('createrepo_c', ['--quiet', '--excludes', '*.src.rpm', staging], log, 120_000);
    const record: BuildRecord = {
      nvr,
      component: request.component,
      commit: request.commit,
      buildrootHash: request.buildrootHash,
      taskId: status.taskId,
      rpms: rpms.map((r) => path.basename(r)),
      srpm,
      dir: buildDir,
      completedAt: new Date().toISOString(),
    };
    writeJsonAtomically(path.join(staging, 'build.json'), record);
    fs.copyFileSync(files.log, path.join(staging, 'build.log'));
    fs.renameSync(staging, buildDir);
    await finish(`build ${nvr} complete\n`, { state: 'complete', nvr });
  } catch (err) {
    if (logClosed) throw err;
    await finish(`task failed: ${(err as Error).message}\n`, { state: 'failed', reason: (err as Error).message });
  }
}

if (require.main === module) {
  const [root, taskDir] = process.argv.slice(2);
  main(root!, taskDir!).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
