// The layers' boundaries as the linter enforces them (eslint.config.mjs): for each rule, a forbidden
// import is refused and an allowed one accepted, linted as if the source sat at that path.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const root = path.join(__dirname, '..', '..');
const eslint = new ESLint({ cwd: root });

/** The no-restricted-imports messages for a source at a path of the tree (the file need not exist). */
async function restrictions(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const cases: { rule: string; file: string; forbidden: string; allowed: string }[] = [
  {
    rule: 'domain/ imports no Node built-ins',
    file: 'domain/campaign/lint-fixture.ts',
    forbidden: "import fs from 'node:fs';\nexport const x = fs;\n",
    allowed: "import { moduleStreamKey } from '../dependencies';\nexport const x = moduleStreamKey;\n",
  },
  {
    rule: 'domain/ imports no Prisma and no Temporal',
    file: 'domain/campaign/lint-fixture.ts',
    forbidden: "import { PrismaClient } from '@prisma/client';\nexport const x = PrismaClient;\n",
    allowed: "import { z } from 'zod';\nexport const x = z;\n",
  },
  {
    rule: 'domain/ imports nothing of activities/, store/, api/ or platform/, not even types',
    file: 'domain/compose/lint-fixture.ts',
    forbidden: "import type { DistGit } from '../../activities/distgit';\nexport type X = DistGit;\n",
    allowed: "import type { RebuildStrategy } from '../module-build';\nexport type X = RebuildStrategy;\n",
  },
  {
    rule: 'domain/ does not import the store',
    file: 'domain/lint-fixture.ts',
    forbidden: "import { campaignsWaitingOn } from '../store/campaigns';\nexport const x = campaignsWaitingOn;\n",
    allowed: "import { ZERO_HASH } from './git-refs';\nexport const x = ZERO_HASH;\n",
  },
  {
    rule: 'api/ does not import activity implementations (types only)',
    file: 'api/routes/lint-fixture.ts',
    forbidden: "import { LocalDistGit } from '../../activities/distgit';\nexport const x = LocalDistGit;\n",
    allowed: "import type { LocalDistGit } from '../../activities/distgit';\nexport type X = LocalDistGit;\n",
  },
  {
    rule: 'api/ starts workflows through clients/, not by importing workflows',
    file: 'api/lint-fixture.ts',
    forbidden:
      "import { campaignProgressQuery } from '../workflows/campaign/contracts';\nexport const x = campaignProgressQuery;\n",
    allowed: "import { startCampaign } from '../clients/campaign-client';\nexport const x = startCampaign;\n",
  },
  {
    rule: 'store/ does not import the API',
    file: 'store/lint-fixture.ts',
    forbidden: "import { ApiError } from '../api/errors';\nexport const x = ApiError;\n",
    allowed: "import { countStates } from '../domain/campaign';\nexport const x = countStates;\n",
  },
  {
    rule: 'store/ does not import activities, not even types',
    file: 'store/lint-fixture.ts',
    forbidden: "import type { DistGit } from '../activities/distgit';\nexport type X = DistGit;\n",
    allowed: "import type { PrismaClient } from '@prisma/client';\nexport type X = PrismaClient;\n",
  },
  {
    rule: 'workflows/ import activities for their types only',
    file: 'workflows/campaign/lint-fixture.ts',
    forbidden:
      "import { createCampaignActivities } from '../../activities/campaign/campaign-activities';\nexport const x = createCampaignActivities;\n",
    allowed:
      "import type { createCampaignActivities } from '../../activities/campaign/campaign-activities';\nexport type X = typeof createCampaignActivities;\n",
  },
  {
    rule: 'workflows/ do no I/O through the clients or the store',
    file: 'workflows/module-build/lint-fixture.ts',
    forbidden:
      "import { startModuleBuild } from '../../clients/module-build-client';\nexport const x = startModuleBuild;\n",
    allowed: "import { moduleBuildProgressQuery } from './contracts';\nexport const x = moduleBuildProgressQuery;\n",
  },
];

describe('lint boundaries between the layers', () => {
  for (const c of cases) {
    it(`${c.rule}: refuses the forbidden import, accepts the allowed one`, async () => {
      const refused = await restrictions(c.file, c.forbidden);
      assert.equal(
        refused.length,
        1,
        `expected one refusal for ${c.file}:\n${c.forbidden}got ${JSON.stringify(refused)}`,
      );
      assert.deepEqual(await restrictions(c.file, c.allowed), []);
    });
  }

  it('names the rule of the layer in its message', async () => {
    const [message] = await restrictions(
      'api/lint-fixture.ts',
      "import { LocalKoji } from '../activities/koji';\nexport const x = LocalKoji;\n",
    );
    assert.match(message!, /clients\//);
  });
});
