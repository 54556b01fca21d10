// A campaign's tiers drawn as a graph: modules as nodes (state in colour, symbol and words), an edge
// from each module to the modules of the campaign that wait for it, tier 0 on top. ELK's layered
// algorithm places the nodes, one partition per tier, in a worker (elkjs is large: loaded only here).
// Layout runs when the modules or edges change; a state change only repaints the nodes.
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import { useEffect, useState } from 'preact/hooks';
import { peopleList } from '../components';
import { html } from '../html';
import { stateLabel, stateSymbol, toneOf } from '../states';

export interface GraphModule {
  module: string;
  tier: number;
  state: string;
  attempt: number;
  dependsOn: string[];
  changed: boolean;
}

const NODE_W = 250;
const NODE_H = 74;
const GUTTER = 78; // room on the left for the tier labels

interface Placed {
  nodes: Map<string, { x: number; y: number }>;
  edges: { id: string; points: { x: number; y: number }[] }[];
  width: number;
  height: number;
}

let elkInstance: Promise<{ layout(graph: ElkNode): Promise<ElkNode> }> | undefined;

/** Starts loading the layout worker (1.6 MB) while the page still waits for its data. */
export function elk() {
  elkInstance ??= Promise.all([import('elkjs/lib/elk-api.js'), import('elkjs/lib/elk-worker.min.js?url')]).then(
    ([api, worker]) => {
      const ELK = api.default;
      return new ELK({ workerFactory: () => new Worker(worker.default) });
    },
  );
  return elkInstance;
}

async function layout(modules: GraphModule[]): Promise<Placed> {
  const names = new Set(modules.map((m) => m.module));
  const edges: ElkExtendedEdge[] = modules.flatMap((m) =>
    m.dependsOn
      .filter((d) => names.has(d))
      .map((d) => ({ id: `${d}->${m.module}`, sources: [d], targets: [m.module] })),
  );
  const graph: ElkNode = {
    id: 'campaign',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.partitioning.activate': 'true',
      'elk.edgeRouting': 'SPLINES',
      'elk.spacing.nodeNode': '36',
      'elk.layered.spacing.nodeNodeBetweenLayers': '56',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.padding': '[top=16,left=16,bottom=16,right=16]',
    },
    children: modules.map((m) => ({
      id: m.module,
      width: NODE_W,
      height: NODE_H,
      layoutOptions: { 'elk.partitioning.partition': String(m.tier) },
    })),
    edges,
  };
  const placed = await (await elk()).layout(graph);
  const nodes = new Map((placed.children ?? []).map((n) => [n.id, { x: (n.x ?? 0) + GUTTER, y: n.y ?? 0 }]));
  const shift = (p: { x: number; y: number }) => ({ x: p.x + GUTTER, y: p.y });
  return {
    nodes,
    edges: ((placed.edges ?? []) as ElkExtendedEdge[]).map((e) => ({
      id: e.id,
      points: (e.sections ?? []).flatMap((s) => [s.startPoint, ...(s.bendPoints ?? []), s.endPoint].map(shift)),
    })),
    width: (placed.width ?? 0) + GUTTER,
    height: placed.height ?? 0,
  };
}

function edgePath(points: { x: number; y: number }[]): string {
  if (points.length === 0) return '';
  const [first, ...rest] = points;
  // ELK's spline sections are cubic Bézier control points after the start point
  if (rest.length % 3 === 0 && rest.length > 0) {
    let d = `M${first!.x},${first!.y}`;
    for (let i = 0; i < rest.length; i += 3)
      d += ` C${rest[i]!.x},${rest[i]!.y} ${rest[i + 1]!.x},${rest[i + 1]!.y} ${rest[i + 2]!.x},${rest[i + 2]!.y}`;
    return d;
  }
  return `M${points.map((p) => `${p.x},${p.y}`).join(' L')}`;
}

/** The failed modules a blocked module waits on, through other blocked ones (as the workflow decides). */
export function blockersOf(modules: GraphModule[], module: string): string[] {
  const byName = new Map(modules.map((m) => [m.module, m]));
  const found = new Set<string>();
  const seen = new Set<string>();
  const queue = [...(byName.get(module)?.dependsOn ?? [])];
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const m = byName.get(name);
    if (m?.state === 'failed') found.add(name);
    else if (m?.state === 'blocked') queue.push(...m.dependsOn);
  }
  return [...found].sort();
}

function NodeNote({ m, modules, canAct }: { m: GraphModule; modules: GraphModule[]; canAct: string[] | undefined }) {
  if (m.state === 'blocked') return `blocked by ${blockersOf(modules, m.module).join(', ') || '…'}`;
  if (m.state === 'failed' && canAct) return `can act: ${peopleList(canAct)}`;
  return `${m.changed ? 'changed · ' : ''}attempt ${m.attempt}`;
}

export function TierGraph(props: {
  modules: GraphModule[];
  canAct: Map<string, string[]>;
  selected: string | null;
  onSelect: (module: string) => void;
}) {
  const { modules, canAct, selected, onSelect } = props;
  const shape = JSON.stringify(modules.map((m) => [m.module, m.tier, m.dependsOn]));
  const [placed, setPlaced] = useState<Placed | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    layout(modules).then(
      (p) => current && setPlaced(p),
      (e: unknown) => current && setFailure(String(e)),
    );
    return () => {
      current = false;
    };
  }, [shape]);

  if (failure)
    return html`<p class="problem">The graph could not be laid out (${failure}); the table below lists every module.</p>`;
  if (!placed) return html`<p class="muted">Laying out the tiers…</p>`;
  const tierTops = new Map<number, number>();
  for (const m of modules) {
    const y = placed.nodes.get(m.module)?.y;
    if (y !== undefined) tierTops.set(m.tier, Math.min(tierTops.get(m.tier) ?? Infinity, y));
  }
  return html`<figure class="tier-graph">
    <svg
      width=${placed.width}
      height=${placed.height}
      viewBox=${`0 0 ${placed.width} ${placed.height}`}
      role="group"
      aria-label="The campaign's modules by tier, with the dependencies between them"
    >
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M0,0 L10,5 L0,10 z" class="edge-head" />
        </marker>
      </defs>
      ${[...tierTops].map(
        ([tier, y]) => html`<text class="tier-label" x="8" y=${y + NODE_H / 2 + 5}>Tier ${tier}</text>`,
      )}
      ${placed.edges.map((e) => html`<path key=${e.id} class="edge" d=${edgePath(e.points)} marker-end="url(#arrow)" />`)}
      ${modules.map((m) => {
        const at = placed.nodes.get(m.module);
        if (!at) return null;
        const tone = toneOf(m.state);
        const note = NodeNote({ m, modules, canAct: canAct.get(m.module) });
        return html`<g
          key=${m.module}
          class=${`node tone-${tone}${selected === m.module ? ' selected' : ''}`}
          transform=${`translate(${at.x},${at.y})`}
          data-module=${m.module}
          data-state=${m.state}
          tabindex="0"
          role="button"
          aria-label=${`${m.module}, tier ${m.tier}: ${stateLabel(m.state)}. ${note}`}
          onClick=${() => onSelect(m.module)}
          onKeyDown=${(e: KeyboardEvent) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), onSelect(m.module))}
        >
          <rect width=${NODE_W} height=${NODE_H} rx="8" />
          <text x="12" y="22" class="node-name">${m.module}</text>
          <text x="12" y="42" class="node-state">${stateSymbol(m.state)} ${stateLabel(m.state)}</text>
          <text x="12" y="61" class="node-note">${truncate(note, 36)}</text>
          <title>${m.module}: ${stateLabel(m.state)} — ${note}</title>
        </g>`;
      })}
    </svg>
    <figcaption class="muted">Arrows go from a module to those that build on it. Select a module for its details.</figcaption>
  </figure>`;
}

const truncate = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
