// `cascade import index` of a generated 60,000-stream module index against the API of a fresh
// database, as a child process (the API runs in this one). Reports the file, the CLI's wall time and
// its own parse figure, the store's counts, and what the API then needs to catch up and to rebuild.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { MetadataService } from '../api/metadata/metadata-service';
import { parseModuleIndex } from '../domain/modulemd';
import type { BenchApi } from './bench-stack';
import { formatMs, formatRows, keepAliveClient } from './http-client';
import { generateModuleIndex, type ModuleIndexStats } from './module-index-generator';

const ROOT = path.resolve(__dirname, '..');

export interface ImportIndexReport {
  file: ModuleIndexStats & { bytes: number; generateMs: number };
  sample: { streams: number; validate: string; libmodulemd: boolean };
  cli: { wallMs: number; reported: string; parseSeconds?: number; peakRssMb?: number };
  store: { streams: number; edges: number; components: number; componentNames: number; changes: number };
  firstQueryMs: number;
  rebuild: { modules: number; ms: number };
}

function run(command: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export async function runImportIndexBench(api: BenchApi, streams = 60_000, seed = 29): Promise<ImportIndexReport> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-bench-index-'));
  try {
    // A prefix of the same generator's output, read back by the parser and by `cascade modulemd validate`.
    let sampleText = '';
    generateModuleIndex(seed, 200, (chunk) => (sampleText += chunk));
    const sampleFile = path.join(dir, 'sample.yaml');
    fs.writeFileSync(sampleFile, sampleText);
    const parsed = parseModuleIndex(sampleText);
    if (!parsed.ok || parsed.streams.length !== 200) throw new Error(`generated sample does not parse back`);
    const validate = await run(path.join(ROOT, 'bin', 'cascade'), ['modulemd', 'validate', sampleFile]);
    if (validate.code !== 0) throw new Error(`cascade modulemd validate refused the sample:\n${validate.stderr}`);
    // libmodulemd's own validator too, when it is installed.
    const libmodulemd = await run('modulemd-validator', [sampleFile]).catch(() => undefined);
    if (libmodulemd && libmodulemd.code !== 0)
      throw new Error(`modulemd-validator refused the sample:\n${libmodulemd.stderr}`);

    const file = path.join(dir, 'index.yaml');
    const generateStart = performance.now();
    const fd = fs.openSync(file, 'w');
    const stats = generateModuleIndex(seed, streams, (chunk) => fs.writeSync(fd, chunk));
    fs.closeSync(fd);
    const generateMs = performance.now() - generateStart;

    // /usr/bin/time -v, when present, adds the CLI's peak memory.
    const timeBin = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
    const cliArgs = [
      path.join(ROOT, 'bin', 'cascade'),
      '--url',
      api.url,
      '--token',
      api.token,
      'import',
      'index',
      file,
    ];
    const started = performance.now();
    const cli = timeBin ? await run(timeBin, ['-v', ...cliArgs]) : await run(cliArgs[0]!, cliArgs.slice(1));
    const wallMs = performance.now() - started;
    if (cli.code !== 0) throw new Error(`cascade import index failed (${cli.code}):\n${cli.stdout}\n${cli.stderr}`);
    const reported = cli.stdout.trim().split('\n').at(-1) ?? '';
    const parseSeconds = /\(parse ([0-9.]+) s\)/.exec(reported)?.[1];
    const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(cli.stderr)?.[1];

    const [streamCount, edges, components, componentNames, changes] = await Promise.all([
      api.prisma.moduleStream.count(),
      api.prisma.moduleRelationship.count({ where: { validTo: null } }),
      api.prisma.moduleComponent.count({ where: { validTo: null } }),
      api.prisma.component.count(),
      api.prisma.dependencyChange.count(),
    ]);

    const client = keepAliveClient(api.url);
    let firstQueryMs: number;
    try {
      const queryStart = performance.now();
      const answer = await client.request('GET', '/api/v1/modules/platform/streams/f29/dependents?limit=1');
      firstQueryMs = performance.now() - queryStart;
      if (answer.status !== 200) throw new Error(`GET platform:f29 dependents: ${answer.status} ${answer.body}`);
    } finally {
      client.close();
    }
    const rebuildStart = performance.now();
    const rebuilt = await new MetadataService(api.prisma).load();
    const rebuildMs = performance.now() - rebuildStart;

    return {
      file: { ...stats, bytes: fs.statSync(file).size, generateMs },
      sample: {
        streams: parsed.streams.length,
        validate: validate.stdout.trim(),
        libmodulemd: libmodulemd !== undefined,
      },
      cli: {
        wallMs,
        reported,
        parseSeconds: parseSeconds === undefined ? undefined : Number(parseSeconds),
        peakRssMb: rss === undefined ? undefined : Number(rss) / 1024,
      },
      store: { streams: streamCount, edges, components, componentNames, changes },
      firstQueryMs,
      rebuild: { modules: rebuilt.modules, ms: rebuildMs },
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function formatImportIndexReport(r: ImportIndexReport): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const importMs = r.cli.parseSeconds === undefined ? undefined : r.cli.wallMs - r.cli.parseSeconds * 1000;
  return [
    'cascade import index (child process) into a fresh database, same cluster, second API',
    ...formatRows([
      [
        'generated module index',
        `${r.file.streams} streams of ${r.file.moduleNames} modules, ${r.file.edges} relationships, ${r.file.components} components (${r.file.distinctComponents} names)`,
      ],
      ['file', `${(r.file.bytes / 1024 / 1024).toFixed(1)} MB, written in ${s(r.file.generateMs)}`],
      [
        'sample check (200 streams)',
        `parse back; cascade modulemd validate: ${r.sample.validate.replace(/^.*: /, '')}; modulemd-validator: ${r.sample.libmodulemd ? 'valid' : 'not installed'}`,
      ],
      ['import wall time', s(r.cli.wallMs)],
      [
        '  of which parse (CLI)',
        r.cli.parseSeconds === undefined ? 'not reported' : `${r.cli.parseSeconds.toFixed(1)} s`,
      ],
      ['  of which tsx start + HTTP + store', importMs === undefined ? 'n/a' : s(importMs)],
      ['CLI peak RSS', r.cli.peakRssMb === undefined ? 'n/a' : `${r.cli.peakRssMb.toFixed(0)} MB`],
      ['CLI says', r.cli.reported],
      [
        'store after import',
        `${r.store.streams} streams, ${r.store.edges} relationships, ${r.store.components} stream components, ${r.store.componentNames} component names, ${r.store.changes} change rows`,
      ],
      ['first query after the import', `${formatMs(r.firstQueryMs)} (index catches up with the change feed)`],
      ['index rebuild after a restart', `${r.rebuild.modules} modules in ${formatMs(r.rebuild.ms)}`],
    ]),
  ].join('\n');
}
