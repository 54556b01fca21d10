-- AlterTable
ALTER TABLE "Compose" ADD COLUMN     "changes" JSONB,
ADD COLUMN     "createdBy" TEXT NOT NULL,
ADD COLUMN     "expiresAt" TIMESTAMP(3),
ADD COLUMN     "mirrorPath" TEXT,
ADD COLUMN     "number" SERIAL NOT NULL,
ADD COLUMN     "origin" TEXT NOT NULL DEFAULT 'release',
ADD COLUMN     "phase" TEXT,
ADD COLUMN     "previousId" TEXT,
ADD COLUMN     "publishedAt" TIMESTAMP(3),
ADD COLUMN     "removedAt" TIMESTAMP(3),
ADD COLUMN     "request" JSONB NOT NULL,
ADD COLUMN     "short" TEXT NOT NULL,
ADD COLUMN     "statusReason" TEXT,
ADD COLUMN     "updatedAt" TIMESTAMP(3) NOT NULL,
ADD COLUMN     "version" TEXT NOT NULL,
ADD COLUMN     "workflowId" TEXT NOT NULL;

-- AlterTable
ALTER TABLE "ComposeModule" ADD COLUMN     "name" TEXT NOT NULL,
ADD COLUMN     "stream" TEXT NOT NULL;

-- CreateTable
CREATE TABLE "ComposePhase" (
    "id" BIGSERIAL NOT NULL,
    "composeId" TEXT NOT NULL,
    "phase" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "detail" JSONB,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "ComposePhase_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ComposeVariant" (
    "id" TEXT NOT NULL,
    "composeId" TEXT NOT NULL,
    "uid" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL DEFAULT 'variant',
    "arches" JSONB NOT NULL DEFAULT '[]',
    "state" TEXT NOT NULL DEFAULT 'pending',
    "reason" TEXT,

    CONSTRAINT "ComposeVariant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ComposeImage" (
    "id" TEXT NOT NULL,
    "composeId" TEXT NOT NULL,
    "variant" TEXT NOT NULL,
    "arch" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "size" BIGINT NOT NULL,
    "sha256" TEXT NOT NULL,

    CONSTRAINT "ComposeImage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ComposePhase_composeId_phase_key" ON "ComposePhase"("composeId", "phase");

-- CreateIndex
CREATE UNIQUE INDEX "ComposeVariant_composeId_uid_key" ON "ComposeVariant"("composeId", "uid");

-- CreateIndex
CREATE UNIQUE INDEX "ComposeImage_composeId_path_key" ON "ComposeImage"("composeId", "path");

-- CreateIndex
CREATE UNIQUE INDEX "Compose_number_key" ON "Compose"("number");

-- CreateIndex
CREATE UNIQUE INDEX "Compose_workflowId_key" ON "Compose"("workflowId");

-- CreateIndex
CREATE INDEX "Compose_release_createdAt_idx" ON "Compose"("release", "createdAt");

-- CreateIndex
CREATE INDEX "Compose_status_idx" ON "Compose"("status");

-- CreateIndex
CREATE UNIQUE INDEX "Compose_short_version_date_type_respin_key" ON "Compose"("short", "version", "date", "type", "respin");

-- CreateIndex
CREATE INDEX "ComposeModule_name_stream_idx" ON "ComposeModule"("name", "stream");

-- CreateIndex
CREATE INDEX "ComposeModule_nsvc_idx" ON "ComposeModule"("nsvc");

-- AddForeignKey
ALTER TABLE "ComposePhase" ADD CONSTRAINT "ComposePhase_composeId_fkey" FOREIGN KEY ("composeId") REFERENCES "Compose"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ComposeVariant" ADD CONSTRAINT "ComposeVariant_composeId_fkey" FOREIGN KEY ("composeId") REFERENCES "Compose"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ComposeImage" ADD CONSTRAINT "ComposeImage_composeId_fkey" FOREIGN KEY ("composeId") REFERENCES "Compose"("id") ON DELETE CASCADE ON UPDATE CASCADE;

