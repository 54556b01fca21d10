// Live updates. The server-sent events stream (/api/v1/events/stream) names the object each event is
// about; a page refetches what it shows when an event names it. Until the stream answers 200 with
// text/event-stream (older servers have none), every page refetches every 2 s instead, and the
// stream is tried again every 30 s. The stream is read with fetch, so it carries the bearer token.
import { useEffect, useRef, useState } from 'preact/hooks';
import { authHeaders } from './api';

export type LiveMode = 'connecting' | 'streaming' | 'polling';
/** an event's objectKey (e.g. campaign/<id>), or null: "anything may have changed" */
type Change = string | null;

const POLL_MS = 2000;
const RETRY_STREAM_MS = 30_000;
const changeListeners = new Set<(changes: Change[]) => void>();
const modeListeners = new Set<(mode: LiveMode) => void>();
let mode: LiveMode = 'connecting';
let lastEventId: string | null = null;
let pending: Change[] = [];
let flushTimer: number | undefined;

function setMode(next: LiveMode): void {
  mode = next;
  for (const listener of modeListeners) listener(next);
}

/** Changes arriving together (a burst of events) make one refetch per page. */
function announce(change: Change): void {
  pending.push(change);
  if (flushTimer !== undefined) return;
  flushTimer = window.setTimeout(() => {
    const batch = pending;
    pending = [];
    flushTimer = undefined;
    for (const listener of changeListeners) listener(batch);
  }, 150);
}

interface StreamMessage {
  id?: string;
  data: string;
}

/** Splits the text/event-stream body into messages (comments and heartbeats dropped). */
function parseMessages(buffer: string): { messages: StreamMessage[]; rest: string } {
  const blocks = buffer.replace(/\r\n?/g, '\n').split('\n\n');
  const rest = blocks.pop() ?? '';
  const messages: StreamMessage[] = [];
  for (const block of blocks) {
    const message: StreamMessage = { data: '' };
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') message.id = value;
      else if (field === 'data') message.data += (message.data ? '\n' : '') + value;
    }
    if (message.data || message.id) messages.push(message);
  }
  return { messages, rest };
}

function objectKeyOf(data: string): Change {
  try {
    const item = JSON.parse(data) as { objectKey?: unknown };
    return typeof item.objectKey === 'string' ? item.objectKey : null;
  } catch {
    return null;
  }
}

async function readStream(): Promise<void> {
  const headers: Record<string, string> = { accept: 'text/event-stream', ...authHeaders() };
  if (lastEventId) headers['last-event-id'] = lastEventId;
  const query = lastEventId ? `?after=${encodeURIComponent(lastEventId)}` : '';
  const res = await fetch(`/api/v1/events/stream${query}`, { headers, cache: 'no-store' });
  const type = res.headers.get('content-type') ?? '';
  if (!res.ok || !type.startsWith('text/event-stream') || !res.body) {
    await res.body?.cancel();
    throw new Error(`no event stream (${res.status})`);
  }
  setMode('streaming');
  announce(null); // whatever changed while we were not listening
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    const parsed = parseMessages(buffer + value);
    buffer = parsed.rest;
    for (const message of parsed.messages) {
      if (message.id) lastEventId = message.id;
      if (message.data) announce(objectKeyOf(message.data));
    }
  }
}

async function pollUntil(deadline: number): Promise<void> {
  setMode('polling');
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    announce(null);
  }
}

let started = false;

/** Runs for the life of the tab: the stream while it answers, polling while it does not. */
export function startLiveUpdates(): void {
  if (started) return;
  started = true;
  void (async () => {
    for (;;) {
      try {
        await readStream();
        continue; // the server closed the stream: reconnect at once, from the last id
      } catch {
        // no stream (yet), or it broke: poll for a while, then try it again
      }
      await pollUntil(Date.now() + RETRY_STREAM_MS);
    }
  })();
}

export function useLiveMode(): LiveMode {
  const [current, setCurrent] = useState(mode);
  useEffect(() => {
    modeListeners.add(setCurrent);
    setCurrent(mode);
    return () => void modeListeners.delete(setCurrent);
  }, []);
  return current;
}

/** Calls `refresh` when a change arrives that `concerns` the page (or one that may concern anything). */
export function useLiveRefresh(concerns: (objectKey: string) => boolean, refresh: () => void): void {
  const latest = useRef({ concerns, refresh });
  latest.current = { concerns, refresh };
  useEffect(() => {
    const listener = (changes: Change[]) => {
      if (changes.some((c) => c === null || latest.current.concerns(c))) latest.current.refresh();
    };
    changeListeners.add(listener);
    return () => void changeListeners.delete(listener);
  }, []);
}
