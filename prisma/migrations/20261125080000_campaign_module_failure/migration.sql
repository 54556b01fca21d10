-- AlterTable
ALTER TABLE "CampaignModule" ADD COLUMN     "dependsOn" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "failure" TEXT;
