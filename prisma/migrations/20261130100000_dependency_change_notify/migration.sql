-- The metadata service listens on this channel instead of asking the change feed before every
-- answer: each transaction that appends to the feed notifies once, at its commit (PostgreSQL folds
-- a transaction's identical notifications into one, so one per statement is enough).
CREATE FUNCTION "notify_dependency_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('cascade_dependency_change', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER "DependencyChange_notify"
  AFTER INSERT ON "DependencyChange"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_dependency_change"();
