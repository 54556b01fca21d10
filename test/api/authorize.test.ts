import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authorize, type Actor } from '../../api/identity/authorize';

const actor = (role: Actor['role'], maintains: string[] = []): Actor => ({
  id: 'u',
  name: 'u',
  role,
  maintains: new Set(maintains),
});
const target = (modules: string[], components: string[]) => ({ kind: 'artifacts' as const, modules, components });

describe('authorize', () => {
  it('lets a release engineer do everything', () => {
    assert.deepEqual(authorize(actor('RELEASE_ENGINEER'), 'token.create', { kind: 'global' }), { allowed: true });
  });
  it('refuses a reader every mutating action', () => {
    assert.equal(authorize(actor('READER'), 'campaign.start', target([], ['perl'])).allowed, false);
  });
  it('lets a maintainer act only on what they maintain, all of it', () => {
    const m = actor('MAINTAINER', ['rpms/perl', 'modules/perl']);
    assert.equal(authorize(m, 'campaign.start', target(['perl'], ['perl'])).allowed, true);
    const partly = authorize(m, 'campaign.start', target([], ['perl', 'python3']));
    assert.equal(partly.allowed, false);
    assert.match(partly.allowed ? '' : partly.reason, /rpms\/python3/);
  });
  it('keeps release-engineering actions from maintainers', () => {
    assert.equal(authorize(actor('MAINTAINER', ['rpms/perl']), 'token.create', { kind: 'global' }).allowed, false);
  });
  it("lets anyone revoke their own token, and only release engineers anyone else's or list them all", () => {
    const own = { kind: 'owned' as const, owner: 'u' };
    const other = { kind: 'owned' as const, owner: 'someone' };
    assert.equal(authorize(actor('READER'), 'token.revoke', own).allowed, true);
    assert.equal(authorize(actor('MAINTAINER'), 'token.revoke', other).allowed, false);
    assert.equal(authorize(actor('READER'), 'token.revoke', other).allowed, false);
    assert.equal(authorize(actor('RELEASE_ENGINEER'), 'token.revoke', other).allowed, true);
    assert.equal(authorize(actor('MAINTAINER', ['rpms/perl']), 'token.list-all', { kind: 'global' }).allowed, false);
  });
});
