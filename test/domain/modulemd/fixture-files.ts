// The modulemd fixtures (../shared/fixtures/modulemd) and the real modulemd-validator, shared by the tests.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

export const MODULEMD_FIXTURES = path.resolve(__dirname, '../../../../shared/fixtures/modulemd');
export const MODULEMD_VALIDATOR = '/usr/bin/modulemd-validator';

export interface ModulemdFixture {
  /** relative to MODULEMD_FIXTURES, e.g. invalid/broken-stream.yaml */
  name: string;
  file: string;
  packagerV3: boolean;
}

export function listModulemdFixtures(): ModulemdFixture[] {
  return ['valid', 'invalid', 'packager-v3/valid', 'packager-v3/invalid'].flatMap((folder) =>
    readdirSync(path.join(MODULEMD_FIXTURES, folder))
      .filter((entry) => entry.endsWith('.yaml'))
      .sort()
      .map((entry) => ({
        name: `${folder}/${entry}`,
        file: path.join(MODULEMD_FIXTURES, folder, entry),
        packagerV3: folder.startsWith('packager-v3'),
      })),
  );
}

export interface ValidatorVerdict {
  valid: boolean;
  output: string;
}

export function runModulemdValidator(file: string, options: { packagerV3?: boolean } = {}): ValidatorVerdict {
  const args = [...(options.packagerV3 ? ['--type=modulemd-packager-v3'] : []), file];
  const run = spawnSync(MODULEMD_VALIDATOR, args, { encoding: 'utf8' });
  if (run.error) throw run.error;
  return { valid: run.status === 0, output: `${run.stdout}${run.stderr}` };
}
