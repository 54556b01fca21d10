// activities/: one folder per external system (store, and later koji, ci, notify, distgit, pungi, pdc).
// Each exports a factory that takes its dependencies and returns plain async functions.
import type { PrismaClient } from '@prisma/client';
import { createCampaignStoreActivities } from './store/campaign-store';

export interface ActivityDependencies {
  prisma: PrismaClient;
}

export function createActivities(deps: ActivityDependencies) {
  return {
    ...createCampaignStoreActivities(deps),
  };
}

export type CascadeActivities = ReturnType<typeof createActivities>;
