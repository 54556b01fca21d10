-- CreateTable
CREATE TABLE "Event" (
    "id" BIGSERIAL NOT NULL,
    "messageId" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "objectKey" TEXT NOT NULL,
    "body" JSONB NOT NULL,
    "headers" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" TIMESTAMP(3),

    CONSTRAINT "Event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Event_messageId_key" ON "Event"("messageId");

-- CreateIndex
CREATE INDEX "Event_objectKey_id_idx" ON "Event"("objectKey", "id");

-- CreateIndex
CREATE INDEX "Event_topic_id_idx" ON "Event"("topic", "id");

-- CreateIndex
CREATE INDEX "Event_deliveredAt_id_idx" ON "Event"("deliveredAt", "id");

