// The differential modulemd fuzzer: seeded structural mutations of the real fixture documents, each judged
// by Cascade (the verdict of `cascade modulemd validate`) and by libmodulemd's modulemd-validator. Every
// verdict must agree, or the disagreement must be one listed below with the reason Cascade differs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { describeModulemdError, validateDocumentText } from '../../../domain/modulemd';
import type { MutatedDocument, MutationKind } from '../../support/modulemd-mutations';
import { mutateDocuments, seedDocuments } from '../../support/modulemd-mutations';
import { validateTexts } from '../../support/modulemd-validator-batch';
import { listModulemdFixtures } from './fixture-files';

const DOCUMENTS = Number(process.env.MODULEMD_FUZZ_COUNT ?? 480);
const SEED = Number(process.env.MODULEMD_FUZZ_SEED ?? 14);

/** Where Cascade knowingly differs from libmodulemd 2.14: the mutation, the field, which way, and why. */
interface ListedDisagreement {
  kind: MutationKind | '*';
  path: RegExp;
  cascade: 'accepts' | 'rejects';
  reason: string;
}

const STRING_SET_ITEM = /\.(rpms|module|content|arches|buildafter|multilib|whitelist|profiles\.[^.]+)\.\d+$/;

const LISTED: ListedDisagreement[] = [
  {
    kind: 'list-for-scalar',
    path: STRING_SET_ITEM,
    cascade: 'rejects',
    reason:
      'libmodulemd bug: its string-set reader (modulemd_yaml_parse_string_set) does not track nesting, so a list ' +
      'inside a list of strings ends the set at the inner list’s end and the rest of the outer list is read as ' +
      'keys of the enclosing mapping (silently lost or misread); Cascade refuses a list where a string belongs.',
  },
];

interface Judged {
  document: MutatedDocument;
  cascade: { valid: boolean; errors: string };
  libmodulemd: { valid: boolean; output: string };
}

function listedFor(judged: Judged): ListedDisagreement | undefined {
  const way = judged.cascade.valid ? 'accepts' : 'rejects';
  return LISTED.find(
    (entry) =>
      (entry.kind === '*' || entry.kind === judged.document.kind) &&
      entry.cascade === way &&
      entry.path.test(judged.document.path),
  );
}

describe('modulemd verdicts agree with libmodulemd on mutated documents', () => {
  it(`judges ${DOCUMENTS} seeded mutations of the fixtures (seed ${SEED}) as modulemd-validator does`, async () => {
    const fixtures = listModulemdFixtures().filter((fixture) => !fixture.name.includes('invalid/'));
    const seeds = seedDocuments(
      fixtures.map((fixture) => ({
        name: fixture.name,
        text: readFileSync(fixture.file, 'utf8'),
        packagerV3: fixture.packagerV3,
      })),
    );
    const documents = mutateDocuments(seeds, DOCUMENTS, SEED);
    assert.equal(documents.length, DOCUMENTS, 'the generator found a place for every mutation');
    const judged = await judgeAll(documents);
    const disagreements = judged.filter((one) => one.cascade.valid !== one.libmodulemd.valid);
    const listed = disagreements.filter((one) => listedFor(one));
    const unlisted = disagreements.filter((one) => !listedFor(one));
    report(judged, listed, unlisted);
    assert.equal(
      unlisted.length,
      0,
      `${unlisted.length} verdicts differ from libmodulemd's:\n\n${unlisted.slice(0, 8).map(describeJudged).join('\n\n')}`,
    );
  });
});

async function judgeAll(documents: MutatedDocument[]): Promise<Judged[]> {
  const [index, packager] = [documents.filter((d) => !d.packagerV3), documents.filter((d) => d.packagerV3)];
  const [indexVerdicts, packagerVerdicts] = await Promise.all([
    validateTexts(
      index.map((d) => d.text),
      { parallel: 2 },
    ),
    validateTexts(
      packager.map((d) => d.text),
      { packagerV3: true, parallel: 1 },
    ),
  ]);
  const verdicts = new Map([
    ...index.map((d, i) => [d, indexVerdicts[i]!] as const),
    ...packager.map((d, i) => [d, packagerVerdicts[i]!] as const),
  ]);
  return documents.map((document) => {
    const cascade = validateDocumentText(document.text, {
      ...(document.packagerV3 && { type: 'modulemd-packager-v3' as const }),
    });
    return {
      document,
      cascade: { valid: cascade.valid, errors: cascade.errors.map((error) => describeModulemdError(error)).join('\n') },
      libmodulemd: verdicts.get(document)!,
    };
  });
}

function report(judged: Judged[], listed: Judged[], unlisted: Judged[]) {
  const agree = judged.length - listed.length - unlisted.length;
  const accepted = judged.filter((one) => one.libmodulemd.valid).length;
  console.log(
    `modulemd differential fuzz: ${judged.length} documents (seed ${SEED}), libmodulemd accepts ${accepted}; ` +
      `${agree} agree, ${listed.length} listed exceptions, ${unlisted.length} unlisted disagreements`,
  );
  const classes = new Map<string, number>();
  for (const one of [...listed, ...unlisted]) {
    const key = `${listedFor(one) ? 'listed' : 'UNLISTED'} ${one.document.kind} ${one.document.path.replace(/\.\d+/g, '.N')}: Cascade ${one.cascade.valid ? 'accepts' : 'rejects'}`;
    classes.set(key, (classes.get(key) ?? 0) + 1);
  }
  for (const [key, n] of [...classes].sort()) console.log(`  ${n} × ${key}`);
  for (const entry of LISTED)
    console.log(`  listed: ${entry.kind} at ${entry.path} (Cascade ${entry.cascade}): ${entry.reason}`);
}

function describeJudged(one: Judged): string {
  return [
    `${one.document.kind} at ${one.document.path} (from ${one.document.seed})`,
    `Cascade: ${one.cascade.valid ? 'valid' : `invalid\n${one.cascade.errors}`}`,
    `modulemd-validator: ${one.libmodulemd.valid ? 'valid' : `invalid\n${one.libmodulemd.output.slice(0, 600)}`}`,
    `--- document ---\n${one.document.text.length > 3000 ? `${one.document.text.slice(0, 3000)}…` : one.document.text}`,
  ].join('\n');
}
