// The OpenAPI description of /api/v1/pipeline, from the same zod schemas the routes validate with.
import type { z } from '../openapi-registry';
import { errorResponses, registry } from '../openapi-registry';
import {
  CommitParams,
  ComponentParams,
  ComponentQuery,
  ComposeParams,
  ModuleStreamParams,
  NsvcParams,
  NvrParams,
  PipelineOverview,
  PipelineSearchQuery,
} from './pipeline.schemas';

const answer = { description: 'the overview', content: { 'application/json': { schema: PipelineOverview } } };

let registered = false;

export function registerPipelinePaths(): void {
  if (registered) return;
  registered = true;
  const paths: [string, string, { params?: z.ZodObject; query?: z.ZodObject }][] = [
    [
      '/api/v1/pipeline',
      'Whatever the text names: component[@branch], name:stream, NSVC, NVR, compose id or commit',
      { query: PipelineSearchQuery },
    ],
    [
      '/api/v1/pipeline/components/{name}',
      'A component (on a branch): its newest push, builds under way, newest build and compose',
      { params: ComponentParams, query: ComponentQuery },
    ],
    [
      '/api/v1/pipeline/modules/{name}/{stream}',
      'A module stream: newest push, builds under way, newest ready build, the compose holding it',
      { params: ModuleStreamParams },
    ],
    [
      '/api/v1/pipeline/modules/{nsvc}',
      'A module build (name:stream:version:context) back to its commits and forward to its composes',
      { params: NsvcParams },
    ],
    [
      '/api/v1/pipeline/nvrs/{nvr}',
      'A component build (NVR) back to its commit, and the module builds and composes holding it',
      { params: NvrParams },
    ],
    [
      '/api/v1/pipeline/composes/{id}',
      'A compose: status, publication, the module builds it holds',
      { params: ComposeParams },
    ],
    [
      '/api/v1/pipeline/commits/{hash}',
      'A commit (or a prefix of 7+): who pushed it, every build and compose holding it',
      { params: CommitParams },
    ],
  ];
  for (const [path, summary, request] of paths) {
    registry.registerPath({
      method: 'get',
      path,
      summary,
      request,
      responses: { 200: answer, ...errorResponses(400, 404) },
    });
  }
}
