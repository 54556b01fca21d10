// domain/events: what Cascade announces when something changes state — topics and bodies in the
// shapes of MBS, Pungi, ResultsDB and Cascade's own campaign.* — as plain data. Pure: the store
// writes these into its outbox in the same transaction as the change; nothing here does I/O.
export * from './messages';
