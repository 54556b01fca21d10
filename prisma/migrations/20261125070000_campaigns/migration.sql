-- AlterTable
ALTER TABLE "ModuleBuild" ADD COLUMN     "ciOutcome" TEXT;

-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "changeKey" TEXT,
ADD COLUMN     "finishedAt" TIMESTAMP(3),
ADD COLUMN     "relation" TEXT NOT NULL DEFAULT 'buildrequires',
ADD COLUMN     "tierCount" INTEGER;

-- AlterTable
ALTER TABLE "CiResult" ADD COLUMN     "runKey" TEXT;

-- AlterTable
ALTER TABLE "Notification" ADD COLUMN     "module" TEXT;

-- CreateTable
CREATE TABLE "CampaignModule" (
    "id" BIGSERIAL NOT NULL,
    "campaignId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "stream" TEXT NOT NULL,
    "tier" INTEGER NOT NULL,
    "changed" BOOLEAN NOT NULL DEFAULT false,
    "cycle" BOOLEAN NOT NULL DEFAULT false,
    "path" JSONB NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'waiting',
    "failedStep" TEXT,
    "reason" TEXT,
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "nsvc" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CampaignModule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CampaignAction" (
    "id" BIGSERIAL NOT NULL,
    "campaignId" TEXT NOT NULL,
    "module" TEXT,
    "action" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "reason" TEXT,
    "actionKey" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CampaignAction_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CampaignModule_name_stream_state_idx" ON "CampaignModule"("name", "stream", "state");

-- CreateIndex
CREATE UNIQUE INDEX "CampaignModule_campaignId_name_stream_key" ON "CampaignModule"("campaignId", "name", "stream");

-- CreateIndex
CREATE UNIQUE INDEX "CampaignAction_actionKey_key" ON "CampaignAction"("actionKey");

-- CreateIndex
CREATE INDEX "CampaignAction_campaignId_at_idx" ON "CampaignAction"("campaignId", "at");

-- CreateIndex
CREATE INDEX "Campaign_state_idx" ON "Campaign"("state");

-- CreateIndex
CREATE INDEX "CiResult_runKey_idx" ON "CiResult"("runKey");

-- AddForeignKey
ALTER TABLE "CampaignModule" ADD CONSTRAINT "CampaignModule_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignAction" ADD CONSTRAINT "CampaignAction_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

