// activities/: one folder per external system (store, and later koji, ci, notify, distgit, pungi, pdc).
// Each exports a factory that takes its dependencies and returns plain async functions.
import type { PrismaClient } from '@prisma/client';
import type { DistGit } from './distgit';
import type { Builder } from './koji';
import { createKojiActivities } from './koji/koji-activities';
import { createModuleBuildActivities } from './module-build/module-build-activities';
import { createModuleBuildPlanActivities } from './module-build/module-build-plan';
import { createPdcActivities } from './pdc/pdc-activities';
import { createCampaignStoreActivities } from './store/campaign-store';

export interface ActivityDependencies {
  prisma: PrismaClient;
  distGit: DistGit;
  builder: Builder;
  kojiRoot: string;
}

export function createActivities(deps: ActivityDependencies) {
  return {
    ...createCampaignStoreActivities(deps),
    ...createPdcActivities(deps),
    ...createKojiActivities(deps),
    ...createModuleBuildPlanActivities(deps),
    ...createModuleBuildActivities(deps),
  };
}

export type CascadeActivities = ReturnType<typeof createActivities>;
