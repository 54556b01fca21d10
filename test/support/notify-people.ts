// The people the notification tests talk about: two maintainers of modules/nodejs (alice, bob), a
// maintainer of rpms/libuv (carol), a reader (rita), and release engineers (the first start's admin, erin).
import type { PrismaClient } from '@prisma/client';
import { issueToken, type IssuedToken } from '../../api/identity/tokens';

export interface NotifyPeople {
  alice: IssuedToken;
  bob: IssuedToken;
  carol: IssuedToken;
  rita: IssuedToken;
  erin: IssuedToken;
}

export async function createNotifyPeople(prisma: PrismaClient): Promise<NotifyPeople> {
  const alice = await issueToken(prisma, { userName: 'alice', role: 'MAINTAINER' });
  const bob = await issueToken(prisma, { userName: 'bob', role: 'MAINTAINER' });
  const carol = await issueToken(prisma, { userName: 'carol', role: 'MAINTAINER' });
  const rita = await issueToken(prisma, { userName: 'rita', role: 'READER' });
  const erin = await issueToken(prisma, { userName: 'erin', role: 'RELEASE_ENGINEER' });
  await prisma.user.update({ where: { id: alice.userId }, data: { email: 'alice@example.org' } });
  await prisma.maintainership.createMany({
    data: [
      { userId: alice.userId, namespace: 'modules', name: 'nodejs' },
      { userId: bob.userId, namespace: 'modules', name: 'nodejs' },
      { userId: carol.userId, namespace: 'rpms', name: 'libuv' },
      // alice maintains a component of her module too: she must still get one row, not two
      { userId: alice.userId, namespace: 'rpms', name: 'nodejs' },
    ],
  });
  return { alice, bob, carol, rita, erin };
}
