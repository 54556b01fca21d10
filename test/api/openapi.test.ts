import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openApiDocument } from '../../api/openapi-registry';
import '../../api/app';

describe('OpenAPI document', () => {
  it('is generated from the route schemas, with every route and the request schemas', () => {
    const doc = openApiDocument();
    assert.equal(doc.openapi, '3.1.0');
    for (const p of [
      '/api/v1/campaigns',
      '/api/v1/campaigns/{id}',
      '/api/v1/campaigns/{id}/history',
      '/api/v1/tokens',
      '/healthz',
    ]) {
      assert.ok(doc.paths?.[p], `missing path ${p}`);
    }
    const create = doc.components?.schemas?.CampaignCreate as {
      properties: Record<string, unknown>;
      required: string[];
    };
    assert.ok(create.properties.branch);
    assert.ok(create.required.includes('branch'));
  });
});
