// activities/: one folder per external system (distgit, koji, module-build, ci, notify, pdc, pungi,
// campaign), each with its adapters (the interface, the production implementation, the local one) and
// its factory createXActivities(deps), which returns plain async functions. This file merges them for
// the worker, which builds the dependencies from config (platform/*-setup.ts). Workflows and the API
// import activities for their types only (lint enforces it); starting workflows lives in clients/.
import type { PrismaClient } from '@prisma/client';
import { reportAttemptToCampaign, startModuleAttempts } from '../clients/campaign-client';
import { createCiActivities, type ModuleCi } from './ci';
import type { DistGit } from './distgit';
import type { Builder } from './koji';
import { createKojiActivities } from './koji/koji-activities';
import {
  createModuleBuildActivities,
  type ModuleBuildActivityDependencies,
} from './module-build/module-build-activities';
import { createModuleBuildPlanActivities } from './module-build/module-build-plan';
import { createNotifyActivities, type Notifier } from './notify';
import { createPdcActivities } from './pdc/pdc-activities';
import { createCampaignActivities } from './campaign/campaign-activities';
import { createCampaignWindowActivities } from './campaign/campaign-window-activities';
import { createPushTriggerActivities, type PushCampaignConfig } from './campaign/push-trigger-activities';
import { createComposeActivities, type ComposeActivityDependencies } from './compose/compose-activities';
import { createComposeReaperActivities } from './compose/compose-reaper';

export interface ActivityDependencies {
  /** what pushes start: the settings of campaigns started here, the supported branches */
  campaigns: PushCampaignConfig;
  prisma: PrismaClient;
  distGit: DistGit;
  builder: Builder;
  kojiRoot: string;
  notifier: Notifier;
  ci: ModuleCi;
  /** where composes are made and published */
  composes: ComposeActivityDependencies['composes'];
  /** the module repository writer; the real one (createrepo_c) unless a benchmark replaces it */
  writeModuleRepo?: ModuleBuildActivityDependencies['writeModuleRepo'];
}

export function createActivities(deps: ActivityDependencies) {
  const campaign = createCampaignActivities(deps);
  const ci = createCiActivities(deps);
  return {
    ...campaign,
    ...createCampaignWindowActivities({
      prisma: deps.prisma,
      campaign,
      attempts: { startModuleAttempts, reportAttemptToCampaign },
      ci,
    }),
    ...createPushTriggerActivities(deps),
    ...createPdcActivities(deps),
    ...createKojiActivities(deps),
    ...createModuleBuildPlanActivities(deps),
    ...createModuleBuildActivities(deps),
    ...createNotifyActivities(deps),
    ...ci,
    ...createComposeActivities(deps),
    ...createComposeReaperActivities(deps),
  };
}

export type CascadeActivities = ReturnType<typeof createActivities>;
