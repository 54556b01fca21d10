-- AlterTable
ALTER TABLE "ModuleStream" ADD COLUMN     "context" TEXT,
ADD COLUMN     "version" TEXT;

-- CreateTable
CREATE TABLE "DependencyChange" (
    "id" BIGSERIAL NOT NULL,
    "moduleName" TEXT NOT NULL,
    "moduleStream" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DependencyChange_pkey" PRIMARY KEY ("id")
);

