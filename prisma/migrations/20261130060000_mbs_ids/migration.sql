-- AlterTable
ALTER TABLE "ModuleBuild" ADD COLUMN     "mbsId" SERIAL NOT NULL;

-- AlterTable
ALTER TABLE "ComponentBuild" ADD COLUMN     "mbsId" SERIAL NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "ModuleBuild_mbsId_key" ON "ModuleBuild"("mbsId");

-- CreateIndex
CREATE UNIQUE INDEX "ComponentBuild_mbsId_key" ON "ComponentBuild"("mbsId");

