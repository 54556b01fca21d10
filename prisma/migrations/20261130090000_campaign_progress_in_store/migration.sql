-- AlterTable
ALTER TABLE "CampaignModule" ADD COLUMN     "dependents" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "launch" INTEGER,
ADD COLUMN     "pendingDeps" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "CampaignModule_campaignId_state_pendingDeps_tier_idx" ON "CampaignModule"("campaignId", "state", "pendingDeps", "tier");

-- CreateIndex
CREATE INDEX "CampaignModule_campaignId_launch_idx" ON "CampaignModule"("campaignId", "launch");

