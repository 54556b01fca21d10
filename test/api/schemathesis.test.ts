// The HTTP contract, checked from outside: schemathesis (pinned in .venv) reads the published OpenAPI
// document from a running test stack and sends what it generates from it — boundary and negative
// cases, undeclared methods, then seeded random requests, then (signed in) sequences that follow the
// document's links — with every check on, once with no token and once as each role. It must find
// nothing; on a failure the test fails with schemathesis' own report (each failure with a curl line to
// reproduce it). The budget is bounded and seeded, so a run is repeatable; the routes that would start
// real work (module builds, composes, campaigns, MBS submissions) are documented but left out of the
// run, as is the never-ending event stream.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { issueToken } from '../../api/identity/tokens';
import { createDistribution, distributionMaintainers } from '../support/distribution-fixture';
import { startTestStack, type TestStack } from '../support/stack';

const SCHEMATHESIS = path.join(__dirname, '..', '..', '.venv', 'bin', 'schemathesis');
const HOOKS = path.join(__dirname, '..', 'support', 'schemathesis-hooks.py');
const SEED = 14;
const MAX_EXAMPLES = 3;

/** The settings every run from the project's directory reads (which operations are left out, and why). */
const SHARED_CONFIG = path.join(__dirname, '..', '..', 'schemathesis.toml');
/** Bodies whose rules across fields JSON Schema cannot say (schemathesis.toml): the coverage phase's big bodies. */
const CROSS_FIELD_BODIES =
  '^(post|put)_api_v1_releases_release_(groups|categories|environments|langpacks|variants|comps)|^put_api_v1_users|^post_api_v1_tokens$';

/**
 * The compatibility APIs (ODCS, ResultsDB, MBS) are read-only but for writes that start composes and
 * builds (left out above) or need a compose to exist: the run with no token covers them, the signed-in
 * runs leave them out.
 */
const COMPAT_PATHS = '^/(api/1/|api/v2\\.0|module-build-service)';

type Role = 'anonymous' | 'reader' | 'maintainer' | 'releaseEngineer';

const MUTATING = '^(POST|PUT|PATCH|DELETE)$';
/** The reads that answer only a signed-in person. */
const OWN_READS = '^get_api_v1_(tokens|whoami|users_me|notifications)$';

/**
 * The coverage phase (boundary and negative values of every parameter and property, undeclared methods)
 * costs most requests, so each part of the API gets it once: the public reads with no token, the writes
 * and one's own reads as a release engineer (the one role every write lets through to its validation).
 * Every role gets the seeded random requests of the fuzzing phase on every operation.
 */
function coverageScope(role: Role): string[] {
  const off = (filter: string) => ['', '[[operations]]', filter, 'phases.coverage.enabled = false'];
  if (role === 'anonymous') return off(`include-method-regex = "${MUTATING}"`);
  // the comps writes' big bodies would take most of the budget; their random requests still run
  if (role === 'releaseEngineer')
    return [
      ...off(`include-method = "GET"\nexclude-operation-id-regex = "${OWN_READS}"`),
      ...off(`include-operation-id-regex = "${CROSS_FIELD_BODIES}"`),
    ];
  return ['enabled = false'];
}

function config(role: Role): string {
  // Every check is on by default (--checks all on the command line would also override the per-operation settings).
  const lines = [
    fs.readFileSync(SHARED_CONFIG, 'utf8'),
    '[phases.coverage]',
    // one undeclared method per path is enough to check its 405 (contract-edges checks the others)
    'unexpected-methods = ["trace"]',
    ...coverageScope(role),
  ];
  return lines.join('\n') + '\n';
}

interface RunReport {
  exit_code: number;
  test_cases: { generated: number };
  operations: { tested: number };
}

/** One schemathesis run; its report, and its console output for the assertion message. */
function runSchemathesis(
  stack: TestStack,
  role: Role,
  token: string | undefined,
): Promise<{ report: RunReport; output: string }> {
  const dir = path.join(stack.home, `schemathesis-${role}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'schemathesis.toml'), config(role));
  const base = stack.api.url;
  assert.match(base, /^http:\/\/127\.0\.0\.1:\d+$/, 'schemathesis only ever talks to the local stack');
  const args = [
    '--config-file',
    path.join(dir, 'schemathesis.toml'),
    '--no-color',
    'run',
    `${base}/api/v1/openapi.json`,
    '--url',
    base,
    '--seed',
    String(SEED),
    '--max-examples',
    String(MAX_EXAMPLES),
    '--phases',
    // the stateful phase follows the document's links (a created release to its comps, …): a few dozen requests
    token && role !== 'reader' ? 'coverage,fuzzing,stateful' : 'coverage,fuzzing',
    '--workers',
    '1',
    '--max-redirects',
    '0',
    '--request-timeout',
    '20',
    ...(token ? ['--exclude-path-regex', COMPAT_PATHS] : []),
    '--report',
    'json',
    '--report-json-path',
    path.join(dir, 'report.json'),
    ...(token ? ['--header', `Authorization: Bearer ${token}`] : []),
  ];
  // No proxy may send the requests anywhere else.
  const env = {
    ...process.env,
    NO_PROXY: '*',
    no_proxy: '*',
    HTTP_PROXY: '',
    HTTPS_PROXY: '',
    http_proxy: '',
    https_proxy: '',
    SCHEMATHESIS_HOOKS: HOOKS,
  };
  return new Promise((resolve, reject) => {
    execFile(SCHEMATHESIS, args, { cwd: dir, env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const output = `${stdout}\n${stderr}`;
      const reportFile = path.join(dir, 'report.json');
      if (!fs.existsSync(reportFile))
        return reject(new Error(`schemathesis wrote no report (${err?.message}):\n${output}`));
      resolve({ report: JSON.parse(fs.readFileSync(reportFile, 'utf8')) as RunReport, output });
    });
  });
}

/** The end of schemathesis' report: the failures and the summary (the start lists every operation). */
const tail = (output: string) => (output.length > 20_000 ? `…${output.slice(-20_000)}` : output);

describe('the HTTP contract under schemathesis', () => {
  let stack: TestStack;
  const ROLES: Role[] = ['anonymous', 'reader', 'maintainer', 'releaseEngineer'];
  const runs = new Map<Role, Promise<{ report: RunReport; output: string }>>();

  before(async () => {
    stack = await startTestStack('postgres');
    await createDistribution(stack.distGit);
    const { tina } = await distributionMaintainers(stack);
    const reader = await issueToken(stack.db.prisma, { userName: 'rita', role: 'READER' });
    const release = await stack.request('POST', '/api/v1/releases', { token: stack.adminToken, body: { key: 'f29' } });
    assert.ok(release.status < 300, JSON.stringify(release.body));
    const tokens: Record<Role, string | undefined> = {
      anonymous: undefined,
      reader: reader.token,
      maintainer: tina.token,
      releaseEngineer: stack.adminToken,
    };
    // The four runs go at once (schemathesis waits on the API and the API on schemathesis); each role's
    // writes are its own, and a refusal caused by another's (a token issued for tina as a reader) is a 403
    // the contract allows.
    for (const role of ROLES) {
      const run = runSchemathesis(stack, role, tokens[role]);
      run.catch(() => undefined);
      runs.set(role, run);
    }
  });
  after(async () => {
    await Promise.allSettled(runs.values());
    await stack?.stop();
  });

  for (const role of ROLES) {
    it(`finds nothing as ${role}`, async () => {
      const { report, output } = await runs.get(role)!;
      console.log(
        `schemathesis as ${role}: ${report.test_cases.generated} requests to ${report.operations.tested} operations`,
      );
      assert.equal(report.exit_code, 0, `schemathesis as ${role} found failures:\n${tail(output)}`);
      assert.ok(report.operations.tested > 50, `only ${report.operations.tested} operations were tested`);
    });
  }
});
