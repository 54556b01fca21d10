// How the metadata service keeps current without looking at the change feed before every answer:
// on both stores, while its listener listens and nothing was notified it answers from memory (no
// look), a write that did not go through the service (another connection on PostgreSQL, the shared
// session on PGlite, as the worker writes) is seen by the first question after its notification,
// and without a listener (lost on PostgreSQL by ending its backend, stopped on PGlite) every
// question looks again. On PostgreSQL a listener that reconnects looks once, for what it missed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PrismaClient } from '@prisma/client';
import {
  changeListenerFor,
  PostgresChangeListener,
  type ChangeListener,
  type ChangeSignals,
} from '../../api/metadata/change-notifications';
import { MetadataService } from '../../api/metadata/metadata-service';
import { openDatabase, type OpenDatabase } from '../../platform/database';
import { applyModuleDefinitions } from '../../store/pdc-relationships';
import { DATABASE_KINDS, freshDatabaseForSuite } from '../support/databases';
import { eventually } from '../support/stack';

async function define(prisma: PrismaClient, node: string, requires: string[]): Promise<void> {
  const [name, stream] = node.split(':') as [string, string];
  await applyModuleDefinitions(prisma, [
    {
      definition: {
        name,
        stream,
        release: null,
        edges: requires.map((to) => {
          const [toName, toStream] = to.split(':') as [string, string];
          return { type: 'REQUIRES' as const, toName, toStream };
        }),
        components: [],
      },
      source: { at: new Date() },
    },
  ]);
}

async function dependentsOfBase(service: MetadataService): Promise<number> {
  const count = (await service.resolve()).count('base', '1', 'all');
  assert.ok(count !== undefined, 'base:1 is known');
  return count;
}

const listeningService = async (service: MetadataService) => {
  await service.load();
  await eventually(async () => service.freshness().listening || undefined);
  // The look a new listener asks for (changes before its LISTEN were notified to nobody).
  await service.resolve();
  return service;
};

/**
 * A listener that listens to nothing: it says it listens and passes on only what the test tells it, so
 * the service's own rules (its writes, a notification during a look) show apart from real delivery.
 */
class ToldListener implements ChangeListener {
  signals: ChangeSignals | undefined;
  start(signals: ChangeSignals): void {
    this.signals = signals;
    signals.listening();
  }
  async stop(): Promise<void> {
    this.signals = undefined;
  }
}

for (const kind of DATABASE_KINDS) {
  describe(`metadata service kept current by notifications (${kind})`, () => {
    const db = freshDatabaseForSuite(kind);
    /** Who writes behind the service's back: another pool (another process's connections) on PostgreSQL. */
    let writer: OpenDatabase | undefined;
    const writes = () => writer?.prisma ?? db().prisma;
    before(async () => {
      await define(db().prisma, 'base:1', []);
      await define(db().prisma, 'app:1', ['base:1']);
      if (db().target.kind === 'postgres') writer = await openDatabase(db().target);
    });
    after(async () => {
      await writer?.close();
    });

    it('answers from memory while nothing is notified, and sees a write made elsewhere once notified', async () => {
      const service = await listeningService(
        new MetadataService(db().prisma, { listener: changeListenerFor(db().target, db().prisma) }),
      );
      try {
        const before = await dependentsOfBase(service);
        const quiet = service.freshness();
        for (let i = 0; i < 5; i += 1) assert.equal(await dependentsOfBase(service), before);
        assert.equal(service.freshness().probes, quiet.probes, 'no look at the feed while nothing was notified');

        await define(writes(), `tool-a:1`, ['app:1']);
        if (kind === 'pglite')
          assert.equal(
            service.freshness().notifications,
            quiet.notifications + 1,
            'PGlite notifies before the commit returns',
          );
        await eventually(async () => service.freshness().notifications > quiet.notifications || undefined);
        assert.equal(await dependentsOfBase(service), before + 1, 'the first question after the notification sees it');
        assert.equal(service.freshness().probes, quiet.probes + 1, 'one look for one notification');
        assert.equal(await dependentsOfBase(service), before + 1);
        assert.equal(service.freshness().probes, quiet.probes + 1);
      } finally {
        await service.close();
      }
    });

    it('looks at the feed before every answer once the listener is gone, and sees writes without notifications', async () => {
      const listener =
        kind === 'postgres'
          ? new PostgresChangeListener((db().target as { url: string }).url, { retryMs: 600_000 })
          : changeListenerFor(db().target, db().prisma)!;
      const service = await listeningService(new MetadataService(db().prisma, { listener }));
      try {
        if (listener instanceof PostgresChangeListener) {
          // Lost for real: its backend ended from another connection, as a restart or a network cut would.
          await writes().$queryRawUnsafe(`SELECT pg_terminate_backend(${listener.backendPid})`);
          await eventually(async () => (service.freshness().listening ? undefined : true));
          assert.equal(service.freshness().losses, 1);
        } else {
          // PGlite's LISTEN lives in the process's one session: it ends only when it is stopped.
          await service.close();
        }
        const before = await dependentsOfBase(service);
        const unlistened = service.freshness();
        await define(writes(), `tool-b:1`, ['app:1']);
        assert.equal(await dependentsOfBase(service), before + 1, 'seen by the next question');
        assert.equal(await dependentsOfBase(service), before + 1);
        const now = service.freshness();
        assert.equal(now.probes, unlistened.probes + 2, 'each question looked');
        assert.equal(now.notifications, unlistened.notifications, 'nothing was notified');
      } finally {
        await service.close();
      }
    });

    it('sees a write through this process (the import route nudges) before any notification, and looks again for one that arrives during a look', async () => {
      const told = new ToldListener();
      const service = await listeningService(new MetadataService(db().prisma, { listener: told }));
      try {
        const before = await dependentsOfBase(service);
        await define(writes(), 'tool-d:1', ['app:1']);
        assert.equal(await dependentsOfBase(service), before, 'nothing notified: answered from memory');
        service.nudge();
        assert.equal(await dependentsOfBase(service), before + 1, 'read-your-writes after a nudge');

        const looks = service.freshness().probes;
        told.signals!.changed();
        const answer = dependentsOfBase(service);
        // The look is under way (its statement sent): a notification now may be for a commit it missed.
        told.signals!.changed();
        assert.equal(await answer, before + 1);
        assert.equal(service.freshness().probes, looks + 2, 'a notification during a look makes one more');
      } finally {
        await service.close();
      }
    });

    if (kind === 'postgres') {
      it('a listener that reconnects looks once for what it may have missed', async () => {
        const url = (db().target as { url: string }).url;
        const listener = new PostgresChangeListener(url, { retryMs: 50 });
        const service = await listeningService(new MetadataService(db().prisma, { listener }));
        try {
          const before = await dependentsOfBase(service);
          const pid = listener.backendPid;
          // Ended and written in one go, so the write most likely lands while nobody listens.
          await writes().$queryRawUnsafe(`SELECT pg_terminate_backend(${pid})`);
          await define(writes(), `tool-c:1`, ['app:1']);
          await eventually(async () => {
            const f = service.freshness();
            return f.losses === 1 && f.listening && listener.backendPid !== pid ? true : undefined;
          });
          assert.equal(await dependentsOfBase(service), before + 1);
        } finally {
          await service.close();
        }
      });
    }
  });
}
