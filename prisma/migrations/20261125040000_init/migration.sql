-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('RELEASE_ENGINEER', 'MAINTAINER', 'READER');

-- CreateEnum
CREATE TYPE "RepoNamespace" AS ENUM ('rpms', 'modules');

-- CreateEnum
CREATE TYPE "RelationType" AS ENUM ('BUILDREQUIRES', 'REQUIRES');

-- CreateEnum
CREATE TYPE "ModuleBuildState" AS ENUM ('init', 'wait', 'build', 'done', 'ready', 'failed');

-- CreateEnum
CREATE TYPE "ComponentBuildState" AS ENUM ('waiting', 'building', 'complete', 'failed', 'reused');

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT,
    "role" "Role" NOT NULL DEFAULT 'READER',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "description" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Maintainership" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "namespace" "RepoNamespace" NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Maintainership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Repo" (
    "id" TEXT NOT NULL,
    "namespace" "RepoNamespace" NOT NULL,
    "name" TEXT NOT NULL,
    "url" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Repo_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BranchRefMove" (
    "id" BIGSERIAL NOT NULL,
    "repoId" TEXT NOT NULL,
    "branch" TEXT NOT NULL,
    "oldHash" TEXT NOT NULL,
    "newHash" TEXT NOT NULL,
    "movedAt" TIMESTAMP(3) NOT NULL,
    "pusher" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "eventKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BranchRefMove_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Release" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Release_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModuleStream" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "stream" TEXT NOT NULL,
    "summary" TEXT,
    "description" TEXT,
    "modulemd" TEXT,
    "headHash" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ModuleStream_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Component" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Component_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModuleRelationship" (
    "id" BIGSERIAL NOT NULL,
    "fromName" TEXT NOT NULL,
    "fromStream" TEXT NOT NULL,
    "type" "RelationType" NOT NULL,
    "toName" TEXT NOT NULL,
    "toStream" TEXT NOT NULL,
    "release" TEXT,
    "validFrom" TIMESTAMP(3) NOT NULL,
    "validTo" TIMESTAMP(3),
    "commitHash" TEXT,

    CONSTRAINT "ModuleRelationship_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModuleComponent" (
    "id" BIGSERIAL NOT NULL,
    "moduleName" TEXT NOT NULL,
    "moduleStream" TEXT NOT NULL,
    "componentName" TEXT NOT NULL,
    "ref" TEXT,
    "buildorder" INTEGER NOT NULL DEFAULT 0,
    "rationale" TEXT,
    "validFrom" TIMESTAMP(3) NOT NULL,
    "validTo" TIMESTAMP(3),
    "commitHash" TEXT,

    CONSTRAINT "ModuleComponent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModuleBuild" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "stream" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "context" TEXT NOT NULL,
    "nsvc" TEXT NOT NULL,
    "state" "ModuleBuildState" NOT NULL DEFAULT 'init',
    "stateReason" TEXT,
    "commitHash" TEXT NOT NULL,
    "strategy" TEXT NOT NULL DEFAULT 'changed-and-after',
    "campaignId" TEXT,
    "workflowId" TEXT NOT NULL,
    "modulemd" TEXT,
    "owner" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ModuleBuild_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModuleBuildStateChange" (
    "id" BIGSERIAL NOT NULL,
    "moduleBuildId" TEXT NOT NULL,
    "state" "ModuleBuildState" NOT NULL,
    "reason" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ModuleBuildStateChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ComponentBuild" (
    "id" TEXT NOT NULL,
    "moduleBuildId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "commitHash" TEXT NOT NULL,
    "batch" INTEGER NOT NULL,
    "buildrootHash" TEXT,
    "nvr" TEXT,
    "state" "ComponentBuildState" NOT NULL DEFAULT 'waiting',
    "stateReason" TEXT,
    "taskId" TEXT,
    "reusedFromId" TEXT,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "ComponentBuild_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Campaign" (
    "id" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "trigger" JSONB NOT NULL,
    "branch" TEXT NOT NULL,
    "strategy" TEXT NOT NULL,
    "dryRun" BOOLEAN NOT NULL DEFAULT false,
    "state" TEXT NOT NULL,
    "stateReason" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Campaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CiResult" (
    "id" BIGSERIAL NOT NULL,
    "testcase" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "itemType" TEXT NOT NULL,
    "item" TEXT NOT NULL,
    "moduleBuildId" TEXT,
    "campaignId" TEXT,
    "durationMs" INTEGER,
    "log" TEXT,
    "data" JSONB,
    "resultKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CiResult_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "campaignId" TEXT,
    "moduleBuild" TEXT,
    "dedupeKey" TEXT NOT NULL,
    "readAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Compose" (
    "id" TEXT NOT NULL,
    "composeId" TEXT NOT NULL,
    "release" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "respin" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "label" TEXT,
    "path" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Compose_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ComposeModule" (
    "id" TEXT NOT NULL,
    "composeId" TEXT NOT NULL,
    "variant" TEXT NOT NULL,
    "nsvc" TEXT NOT NULL,

    CONSTRAINT "ComposeModule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Variant" (
    "id" TEXT NOT NULL,
    "release" TEXT NOT NULL,
    "uid" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL DEFAULT 'variant',

    CONSTRAINT "Variant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VariantModule" (
    "id" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "stream" TEXT NOT NULL,

    CONSTRAINT "VariantModule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CompsGroup" (
    "id" TEXT NOT NULL,
    "release" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "userVisible" BOOLEAN NOT NULL DEFAULT true,
    "packages" JSONB NOT NULL,

    CONSTRAINT "CompsGroup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VariantGroup" (
    "id" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,

    CONSTRAINT "VariantGroup_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_name_key" ON "User"("name");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE INDEX "ApiToken_userId_idx" ON "ApiToken"("userId");

-- CreateIndex
CREATE INDEX "Maintainership_namespace_name_idx" ON "Maintainership"("namespace", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Maintainership_userId_namespace_name_key" ON "Maintainership"("userId", "namespace", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Repo_namespace_name_key" ON "Repo"("namespace", "name");

-- CreateIndex
CREATE UNIQUE INDEX "BranchRefMove_eventKey_key" ON "BranchRefMove"("eventKey");

-- CreateIndex
CREATE INDEX "BranchRefMove_repoId_branch_movedAt_idx" ON "BranchRefMove"("repoId", "branch", "movedAt");

-- CreateIndex
CREATE INDEX "BranchRefMove_newHash_idx" ON "BranchRefMove"("newHash");

-- CreateIndex
CREATE UNIQUE INDEX "Release_key_key" ON "Release"("key");

-- CreateIndex
CREATE UNIQUE INDEX "ModuleStream_name_stream_key" ON "ModuleStream"("name", "stream");

-- CreateIndex
CREATE UNIQUE INDEX "Component_name_key" ON "Component"("name");

-- CreateIndex
CREATE INDEX "ModuleRelationship_fromName_fromStream_validTo_idx" ON "ModuleRelationship"("fromName", "fromStream", "validTo");

-- CreateIndex
CREATE INDEX "ModuleRelationship_toName_toStream_validTo_idx" ON "ModuleRelationship"("toName", "toStream", "validTo");

-- CreateIndex
CREATE INDEX "ModuleComponent_moduleName_moduleStream_validTo_idx" ON "ModuleComponent"("moduleName", "moduleStream", "validTo");

-- CreateIndex
CREATE INDEX "ModuleComponent_componentName_validTo_idx" ON "ModuleComponent"("componentName", "validTo");

-- CreateIndex
CREATE UNIQUE INDEX "ModuleBuild_nsvc_key" ON "ModuleBuild"("nsvc");

-- CreateIndex
CREATE UNIQUE INDEX "ModuleBuild_workflowId_key" ON "ModuleBuild"("workflowId");

-- CreateIndex
CREATE INDEX "ModuleBuild_name_stream_state_idx" ON "ModuleBuild"("name", "stream", "state");

-- CreateIndex
CREATE INDEX "ModuleBuild_campaignId_idx" ON "ModuleBuild"("campaignId");

-- CreateIndex
CREATE UNIQUE INDEX "ModuleBuildStateChange_moduleBuildId_state_key" ON "ModuleBuildStateChange"("moduleBuildId", "state");

-- CreateIndex
CREATE INDEX "ComponentBuild_name_commitHash_buildrootHash_state_idx" ON "ComponentBuild"("name", "commitHash", "buildrootHash", "state");

-- CreateIndex
CREATE UNIQUE INDEX "ComponentBuild_moduleBuildId_name_key" ON "ComponentBuild"("moduleBuildId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Campaign_workflowId_key" ON "Campaign"("workflowId");

-- CreateIndex
CREATE UNIQUE INDEX "CiResult_resultKey_key" ON "CiResult"("resultKey");

-- CreateIndex
CREATE INDEX "CiResult_item_idx" ON "CiResult"("item");

-- CreateIndex
CREATE INDEX "CiResult_campaignId_idx" ON "CiResult"("campaignId");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_dedupeKey_key" ON "Notification"("dedupeKey");

-- CreateIndex
CREATE INDEX "Notification_userId_createdAt_idx" ON "Notification"("userId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Compose_composeId_key" ON "Compose"("composeId");

-- CreateIndex
CREATE UNIQUE INDEX "ComposeModule_composeId_variant_nsvc_key" ON "ComposeModule"("composeId", "variant", "nsvc");

-- CreateIndex
CREATE UNIQUE INDEX "Variant_release_uid_key" ON "Variant"("release", "uid");

-- CreateIndex
CREATE UNIQUE INDEX "VariantModule_variantId_name_stream_key" ON "VariantModule"("variantId", "name", "stream");

-- CreateIndex
CREATE UNIQUE INDEX "CompsGroup_release_groupId_key" ON "CompsGroup"("release", "groupId");

-- CreateIndex
CREATE UNIQUE INDEX "VariantGroup_variantId_groupId_key" ON "VariantGroup"("variantId", "groupId");

-- AddForeignKey
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Maintainership" ADD CONSTRAINT "Maintainership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BranchRefMove" ADD CONSTRAINT "BranchRefMove_repoId_fkey" FOREIGN KEY ("repoId") REFERENCES "Repo"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModuleBuildStateChange" ADD CONSTRAINT "ModuleBuildStateChange_moduleBuildId_fkey" FOREIGN KEY ("moduleBuildId") REFERENCES "ModuleBuild"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ComponentBuild" ADD CONSTRAINT "ComponentBuild_moduleBuildId_fkey" FOREIGN KEY ("moduleBuildId") REFERENCES "ModuleBuild"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ComposeModule" ADD CONSTRAINT "ComposeModule_composeId_fkey" FOREIGN KEY ("composeId") REFERENCES "Compose"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VariantModule" ADD CONSTRAINT "VariantModule_variantId_fkey" FOREIGN KEY ("variantId") REFERENCES "Variant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VariantGroup" ADD CONSTRAINT "VariantGroup_variantId_fkey" FOREIGN KEY ("variantId") REFERENCES "Variant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VariantGroup" ADD CONSTRAINT "VariantGroup_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "CompsGroup"("id") ON DELETE CASCADE ON UPDATE CASCADE;

