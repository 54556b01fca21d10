-- CreateEnum
CREATE TYPE "CompsPackageType" AS ENUM ('MANDATORY', 'DEFAULT', 'OPTIONAL', 'CONDITIONAL');

-- CreateEnum
CREATE TYPE "VariantType" AS ENUM ('VARIANT', 'ADDON', 'OPTIONAL', 'LAYERED_PRODUCT');

-- DropForeignKey
ALTER TABLE "VariantGroup" DROP CONSTRAINT "VariantGroup_groupId_fkey";

-- DropIndex
DROP INDEX "Variant_release_uid_key";

-- DropIndex
DROP INDEX "VariantModule_variantId_name_stream_key";

-- DropIndex
DROP INDEX "CompsGroup_release_groupId_key";

-- DropIndex
DROP INDEX "VariantGroup_variantId_groupId_key";

-- AlterTable
ALTER TABLE "Variant" DROP COLUMN "release",
ADD COLUMN     "arches" TEXT[],
ADD COLUMN     "buildinstallPackages" TEXT[],
ADD COLUMN     "hasOptional" BOOLEAN,
ADD COLUMN     "isEmpty" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "parentUid" TEXT,
ADD COLUMN     "position" INTEGER NOT NULL,
ADD COLUMN     "releaseId" TEXT NOT NULL,
ADD COLUMN     "releaseInfo" JSONB,
ADD COLUMN     "variantId" TEXT NOT NULL,
DROP COLUMN "type",
ADD COLUMN     "type" "VariantType" NOT NULL DEFAULT 'VARIANT';

-- AlterTable
ALTER TABLE "VariantModule" ADD COLUMN     "position" INTEGER NOT NULL,
ADD COLUMN     "profile" TEXT;

-- AlterTable
ALTER TABLE "CompsGroup" DROP COLUMN "packages",
DROP COLUMN "release",
ADD COLUMN     "arch" TEXT,
ADD COLUMN     "biarchOnly" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "descriptionByLang" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "displayOrder" INTEGER,
ADD COLUMN     "langOnly" TEXT,
ADD COLUMN     "nameByLang" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "position" INTEGER NOT NULL,
ADD COLUMN     "releaseId" TEXT NOT NULL;

-- AlterTable
ALTER TABLE "VariantGroup" ADD COLUMN     "glob" BOOLEAN,
ADD COLUMN     "isDefault" BOOLEAN,
ADD COLUMN     "position" INTEGER NOT NULL,
ADD COLUMN     "userVisible" BOOLEAN;

-- CreateTable
CREATE TABLE "CompsRelease" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "blacklist" JSONB NOT NULL DEFAULT '[]',
    "whiteout" JSONB NOT NULL DEFAULT '[]',
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CompsRelease_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CompsPackageReq" (
    "id" TEXT NOT NULL,
    "groupRowId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "type" "CompsPackageType" NOT NULL,
    "requires" TEXT,
    "basearchOnly" BOOLEAN,
    "arch" TEXT,

    CONSTRAINT "CompsPackageReq_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CompsCategory" (
    "id" TEXT NOT NULL,
    "releaseId" TEXT NOT NULL,
    "categoryId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "nameByLang" JSONB NOT NULL DEFAULT '{}',
    "description" TEXT,
    "descriptionByLang" JSONB NOT NULL DEFAULT '{}',
    "displayOrder" INTEGER,
    "arch" TEXT,
    "groupList" JSONB NOT NULL DEFAULT '[]',

    CONSTRAINT "CompsCategory_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CompsEnvironment" (
    "id" TEXT NOT NULL,
    "releaseId" TEXT NOT NULL,
    "environmentId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "nameByLang" JSONB NOT NULL DEFAULT '{}',
    "description" TEXT,
    "descriptionByLang" JSONB NOT NULL DEFAULT '{}',
    "displayOrder" INTEGER,
    "arch" TEXT,
    "groupList" JSONB NOT NULL DEFAULT '[]',
    "optionList" JSONB NOT NULL DEFAULT '[]',

    CONSTRAINT "CompsEnvironment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CompsLangpack" (
    "id" TEXT NOT NULL,
    "releaseId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "install" TEXT NOT NULL,

    CONSTRAINT "CompsLangpack_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VariantEnvironment" (
    "id" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "environmentId" TEXT NOT NULL,
    "displayOrder" INTEGER,

    CONSTRAINT "VariantEnvironment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CompsChange" (
    "id" TEXT NOT NULL,
    "release" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "key" TEXT,
    "before" JSONB,
    "after" JSONB,

    CONSTRAINT "CompsChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "CompsRelease_key_key" ON "CompsRelease"("key");

-- CreateIndex
CREATE INDEX "CompsPackageReq_name_idx" ON "CompsPackageReq"("name");

-- CreateIndex
CREATE UNIQUE INDEX "CompsPackageReq_groupRowId_position_key" ON "CompsPackageReq"("groupRowId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "CompsCategory_releaseId_categoryId_key" ON "CompsCategory"("releaseId", "categoryId");

-- CreateIndex
CREATE UNIQUE INDEX "CompsEnvironment_releaseId_environmentId_key" ON "CompsEnvironment"("releaseId", "environmentId");

-- CreateIndex
CREATE UNIQUE INDEX "CompsLangpack_releaseId_name_key" ON "CompsLangpack"("releaseId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "VariantEnvironment_variantId_position_key" ON "VariantEnvironment"("variantId", "position");

-- CreateIndex
CREATE INDEX "CompsChange_release_at_idx" ON "CompsChange"("release", "at");

-- CreateIndex
CREATE UNIQUE INDEX "Variant_releaseId_uid_key" ON "Variant"("releaseId", "uid");

-- CreateIndex
CREATE INDEX "VariantModule_name_stream_idx" ON "VariantModule"("name", "stream");

-- CreateIndex
CREATE UNIQUE INDEX "VariantModule_variantId_position_key" ON "VariantModule"("variantId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "CompsGroup_releaseId_groupId_key" ON "CompsGroup"("releaseId", "groupId");

-- CreateIndex
CREATE UNIQUE INDEX "VariantGroup_variantId_position_key" ON "VariantGroup"("variantId", "position");

-- AddForeignKey
ALTER TABLE "CompsGroup" ADD CONSTRAINT "CompsGroup_releaseId_fkey" FOREIGN KEY ("releaseId") REFERENCES "CompsRelease"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CompsPackageReq" ADD CONSTRAINT "CompsPackageReq_groupRowId_fkey" FOREIGN KEY ("groupRowId") REFERENCES "CompsGroup"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CompsCategory" ADD CONSTRAINT "CompsCategory_releaseId_fkey" FOREIGN KEY ("releaseId") REFERENCES "CompsRelease"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CompsEnvironment" ADD CONSTRAINT "CompsEnvironment_releaseId_fkey" FOREIGN KEY ("releaseId") REFERENCES "CompsRelease"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CompsLangpack" ADD CONSTRAINT "CompsLangpack_releaseId_fkey" FOREIGN KEY ("releaseId") REFERENCES "CompsRelease"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Variant" ADD CONSTRAINT "Variant_releaseId_fkey" FOREIGN KEY ("releaseId") REFERENCES "CompsRelease"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VariantEnvironment" ADD CONSTRAINT "VariantEnvironment_variantId_fkey" FOREIGN KEY ("variantId") REFERENCES "Variant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

