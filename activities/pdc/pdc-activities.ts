// pdc-updater as activities: record a dist-git ref move in branch history, and turn a module
// branch's modulemd at the new commit into relationship and component history. Both idempotent:
// the ref move by its natural key, the definition by diffing against what is recorded.
import type { PrismaClient } from '@prisma/client';
import { ApplicationFailure } from '@temporalio/activity';
import { describeModulemdError, parseModuleStream } from '../../domain/modulemd';
import { moduleDefinitionFromStream, type ModuleDefinition } from '../../domain/pdc';
import { ZERO_HASH } from '../../domain/git-refs';
import { recordRefMove, type RecordedMove, type RefUpdate } from '../../store/branch-history';
import { applyModuleDefinitions, emptyApplyReport, type ApplyReport } from '../../store/pdc-relationships';
import type { DistGit } from '../distgit';

/** A ref move as a workflow carries it: the time as ISO text. */
export type RefMoveInput = Omit<RefUpdate, 'movedAt'> & { movedAt: string };

export function createPdcActivities(deps: { prisma: PrismaClient; distGit: DistGit }) {
  const { prisma, distGit } = deps;
  return {
    async recordRefMove(input: RefMoveInput): Promise<RecordedMove> {
      return recordRefMove(prisma, { ...input, movedAt: new Date(input.movedAt) });
    },

    /** The module stream `name:branch` as its modulemd says at `commit` (a deleted branch says nothing). */
    async updateModuleFromDistGit(input: {
      name: string;
      branch: string;
      commit: string;
      at: string;
    }): Promise<ApplyReport & { skipped?: string }> {
      const empty: ModuleDefinition = {
        name: input.name,
        stream: input.branch,
        release: null,
        edges: [],
        components: [],
      };
      if (input.commit === ZERO_HASH) {
        return applyModuleDefinitions(prisma, [
          { definition: empty, source: { at: new Date(input.at), commitHash: null } },
        ]);
      }
      const repo = { namespace: 'modules' as const, name: input.name };
      await distGit.refresh?.(repo);
      const file = `${input.name}.yaml`;
      const text = await distGit.readFile(repo, input.commit, file);
      if (text === undefined) {
        return { ...emptyApplyReport(), skipped: `no ${file} at ${input.commit}` };
      }
      const parsed = parseModuleStream(text, {
        fileName: `modules/${input.name}@${input.commit.slice(0, 12)}:${file}`,
      });
      if (!parsed.ok) {
        const detail = parsed.errors.map((e) => describeModulemdError(e, file)).join('; ');
        throw ApplicationFailure.nonRetryable(
          `modules/${input.name} ${input.branch} at ${input.commit}: invalid modulemd: ${detail}`,
          'InvalidModulemd',
        );
      }
      const definition = moduleDefinitionFromStream(parsed.stream, input.name, input.branch);
      return applyModuleDefinitions(prisma, [
        { definition, source: { at: new Date(input.at), commitHash: input.commit, modulemd: text } },
      ]);
    },
  };
}
