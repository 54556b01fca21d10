-- How many events each object has, kept by a trigger, so that the outbox numbers an object's next event
-- without counting its events: all of a campaign's module events share the campaign's object key, and
-- counting them on every append grew with the campaign (PostgreSQL's CPU per module three times as high
-- at 40,000 modules as at 1,000). Events are never deleted, so the count is exactly count(*).
CREATE TABLE "EventCount" (
    "objectKey" TEXT NOT NULL,
    "events" INTEGER NOT NULL,

    CONSTRAINT "EventCount_pkey" PRIMARY KEY ("objectKey")
);

INSERT INTO "EventCount" ("objectKey", "events")
SELECT "objectKey", count(*)::int FROM "Event" GROUP BY "objectKey";

-- Row by row, after the insert: a row skipped by ON CONFLICT DO NOTHING fires nothing, as it adds nothing.
CREATE FUNCTION "count_event"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "EventCount" ("objectKey", "events") VALUES (NEW."objectKey", 1)
  ON CONFLICT ("objectKey") DO UPDATE SET "events" = "EventCount"."events" + 1;
  RETURN NULL;
END
$$;

CREATE TRIGGER "Event_count"
  AFTER INSERT ON "Event"
  FOR EACH ROW EXECUTE FUNCTION "count_event"();
