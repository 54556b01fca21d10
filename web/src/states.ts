// Every state a page shows, with a colour family and words: a badge always says its state in text
// (and a symbol), so nothing is told by colour alone.
export type Tone = 'ok' | 'bad' | 'busy' | 'wait' | 'stop' | 'idle';

const TONES: Record<string, Tone> = {
  // campaign modules and campaigns
  passed: 'ok',
  finished: 'ok',
  failed: 'bad',
  blocked: 'stop',
  building: 'busy',
  testing: 'busy',
  running: 'busy',
  planning: 'busy',
  waiting: 'wait',
  skipped: 'idle',
  cancelled: 'idle',
  // module builds and component builds
  init: 'busy',
  wait: 'wait',
  build: 'busy',
  done: 'busy',
  ready: 'ok',
  complete: 'ok',
  reused: 'ok',
  // composes, phases, variants, CI outcomes
  STARTED: 'busy',
  FINISHED: 'ok',
  FINISHED_INCOMPLETE: 'stop',
  DOOMED: 'bad',
  TERMINATED: 'idle',
  pending: 'wait',
  PASSED: 'ok',
  FAILED: 'bad',
  INFO: 'idle',
  NEEDS_INSPECTION: 'stop',
  published: 'ok',
  'not yet published': 'wait',
  'not published': 'idle',
  removed: 'idle',
};

// symbols every system font has (no emoji font needed)
const SYMBOLS: Record<Tone, string> = { ok: '✓', bad: '✗', busy: '↻', wait: '…', stop: '‖', idle: '–' };

/** Words for the states that are not words already. */
const LABELS: Record<string, string> = {
  wait: 'waiting for deps',
  init: 'starting',
  done: 'built, finishing',
  FINISHED_INCOMPLETE: 'finished incomplete',
  NEEDS_INSPECTION: 'needs inspection',
};

export function toneOf(state: string | null | undefined): Tone {
  return (state && TONES[state]) || 'idle';
}

export function stateLabel(state: string | null | undefined): string {
  if (!state) return 'unknown';
  return LABELS[state] ?? state.toLowerCase().replace(/_/g, ' ');
}

export function stateSymbol(state: string | null | undefined): string {
  return SYMBOLS[toneOf(state)];
}
