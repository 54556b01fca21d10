// `npm run bench -- shapes [--modules N] [--concurrency C]`: what a campaign module costs Temporal
// and the worker in each of four orchestration shapes (bench/workflow-shapes-workflows.ts), with the
// work at zero cost and no store, so the figures are the shape's own: the floor under any campaign
// built that way. Shapes, one after another on the same dev server and worker process:
//   attempts      Cascade's until 'attempt-builds-inline': a launch starts an attempt workflow per module,
//                 which builds the module as a child workflow, tests it and reports by signal;
//   attempts-inline  Cascade's since: the same attempts with the build's steps in the attempt itself;
//   lanes         `concurrency` long-lived lanes, each building one module after another as a child
//                 workflow and claiming its next module in the test's activity (no launch, no signal);
//   lanes-inline  the same lanes with the build's steps in the lane itself (no child workflow).
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Context } from '@temporalio/activity';
import { Client } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Worker } from '@temporalio/worker';
import { createLogger } from '../platform/logger';
import { installTemporalRuntime } from '../workers/worker-runtime';
import { startBenchServers } from './bench-servers';
import { cpuSince, cpuSnapshot } from './process-cpu';
import type { ShapeActivities } from './workflow-shapes-workflows';

const WORKFLOWS_PATH = path.join(__dirname, 'workflow-shapes-workflows.ts');
const SHAPES = ['attempts', 'attempts-inline', 'lanes', 'lanes-inline'] as const;
type Shape = (typeof SHAPES)[number];

export interface ShapeFigures {
  shape: Shape;
  modules: number;
  concurrency: number;
  ms: number;
  workerCpuMs: number;
  temporalCpuMs: number;
  /** events of every workflow run of the shape, per module */
  eventsPerModule: number;
  workflowRuns: number;
}

/** The activities of one shape's run: a counter stands in for the store's claims. */
function shapeActivities(total: number, taskQueue: string): ShapeActivities {
  let next = 0;
  const claim = () => (next < total ? next++ : null);
  return {
    shapePlan: async (module) => module,
    shapeComponent: async () => undefined,
    shapeFinish: async () => undefined,
    async shapeTestAndReport(coordinatorId, module) {
      await Context.current().client.workflow.getHandle(coordinatorId).signal('shapeReport', module);
    },
    async shapeLaunch(coordinatorId, count, inline) {
      const client = Context.current().client;
      const modules: number[] = [];
      for (let m = claim(); m !== null; m = modules.length < count - 1 ? claim() : null) modules.push(m);
      await Promise.all(
        modules.map((module) =>
          client.workflow.start(inline ? 'shapeAttemptInline' : 'shapeAttempt', {
            taskQueue,
            workflowId: `${coordinatorId}-attempt-${module}`,
            args: [coordinatorId, module],
            requestEagerStart: true,
          }),
        ),
      );
      return modules.length;
    },
    shapeTestAndClaim: async () => claim(),
    async shapeStartLanes(coordinatorId, count, inline) {
      const client = Context.current().client;
      await Promise.all(
        Array.from({ length: count }, (_, lane) =>
          client.workflow.start('shapeLane', {
            taskQueue,
            workflowId: `${coordinatorId}-lane-${lane}`,
            args: [coordinatorId, inline],
            requestEagerStart: true,
          }),
        ),
      );
    },
    async shapeLaneDone(coordinatorId) {
      await Context.current().client.workflow.getHandle(coordinatorId).signal('shapeLaneDone');
    },
  };
}

async function eventsOnQueue(client: Client, taskQueue: string): Promise<{ events: number; runs: number }> {
  let events = 0;
  let runs = 0;
  for await (const execution of client.workflow.list({ query: `TaskQueue="${taskQueue}"` })) {
    events += execution.historyLength;
    runs += 1;
  }
  return { events, runs };
}

export async function runWorkflowShapesBench(options: { modules: number; concurrency: number }) {
  installTemporalRuntime(createLogger('warn'));
  const { devServer, connection, onStop, stop } = await startBenchServers('shapes');
  try {
    const native = await NativeConnection.connect({ address: devServer.address });
    onStop(() => native.close());
    const client = new Client({ connection });
    const workflowBundle = await bundleWorkflowCode({
      workflowsPath: WORKFLOWS_PATH,
      logger: new DefaultLogger('WARN'),
    });
    const figures: ShapeFigures[] = [];
    for (const shape of SHAPES) {
      const taskQueue = `shapes-${shape}`;
      const worker = await Worker.create({
        connection: native,
        taskQueue,
        workflowBundle,
        activities: shapeActivities(options.modules, taskQueue),
      });
      const running = worker.run();
      try {
        const before = cpuSnapshot(devServer.process.pid, undefined);
        const started = performance.now();
        const workflowId = `shapes-${shape}`;
        if (shape === 'attempts' || shape === 'attempts-inline')
          await client.workflow.execute('shapeAttemptsCoordinator', {
            taskQueue,
            workflowId,
            args: [options.modules, options.concurrency, undefined, shape === 'attempts-inline'],
          });
        else
          await client.workflow.execute('shapeLanesCoordinator', {
            taskQueue,
            workflowId,
            args: [options.concurrency, shape === 'lanes-inline'],
          });
        const ms = performance.now() - started;
        const cpu = cpuSince(before, cpuSnapshot(devServer.process.pid, undefined));
        // visibility is eventually consistent: let the last closes land before counting
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        const { events, runs } = await eventsOnQueue(client, taskQueue);
        figures.push({
          shape,
          modules: options.modules,
          concurrency: options.concurrency,
          ms,
          workerCpuMs: (cpu.worker * 1000) / options.modules,
          temporalCpuMs: (cpu.temporal * 1000) / options.modules,
          eventsPerModule: events / options.modules,
          workflowRuns: runs,
        });
      } finally {
        worker.shutdown();
        await running;
      }
    }
    return figures;
  } finally {
    await stop();
  }
}

export function formatWorkflowShapesReport(figures: ShapeFigures[]): string {
  const base = figures[0]!;
  const total = (f: ShapeFigures) => f.workerCpuMs + f.temporalCpuMs;
  const rows = figures.map((f) => [
    f.shape,
    `${(f.ms / 1000).toFixed(1)} s`,
    `${((f.modules * 1000) / f.ms).toFixed(1)}`,
    `${f.workerCpuMs.toFixed(1)} ms`,
    `${f.temporalCpuMs.toFixed(1)} ms`,
    `${(total(f) / total(base)).toFixed(2)}×`,
    f.eventsPerModule.toFixed(1),
    String(f.workflowRuns),
  ]);
  return [
    `workflow shapes: ${base.modules} modules at concurrency ${base.concurrency}, zero-cost work, no store`,
    ...table([
      [
        'shape',
        'time',
        'modules/s',
        'worker CPU/module',
        'Temporal CPU/module',
        'CPU vs attempts',
        'events/module',
        'runs',
      ],
      ...rows,
    ]),
  ].join('\n');
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
}
