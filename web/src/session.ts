// Who is signed in (GET /api/v1/whoami for the stored token) and what they may do. This only decides
// which buttons a page shows: the API checks every action again with the same rules.
import { useEffect, useState } from 'preact/hooks';
import { apiGet, storedToken, storeToken } from './api';

export interface Person {
  name: string;
  role: 'release-engineer' | 'maintainer' | 'reader';
  maintains: string[];
}

let current: Person | null = null;
const listeners = new Set<(p: Person | null) => void>();

function publish(person: Person | null): void {
  current = person;
  for (const listener of listeners) listener(person);
}

export async function signIn(token: string): Promise<Person> {
  storeToken(token.trim());
  try {
    const person = await apiGet<Person>('/api/v1/whoami');
    publish(person);
    return person;
  } catch (error) {
    storeToken(null);
    throw error;
  }
}

export function signOut(): void {
  storeToken(null);
  publish(null);
}

/** At start: the token this tab kept, if it is still valid. */
export async function restoreSession(): Promise<void> {
  if (!storedToken()) return;
  try {
    publish(await apiGet<Person>('/api/v1/whoami'));
  } catch {
    signOut();
  }
}

export function useSession(): Person | null {
  const [person, setPerson] = useState(current);
  useEffect(() => {
    listeners.add(setPerson);
    setPerson(current);
    return () => void listeners.delete(setPerson);
  }, []);
  return person;
}

/** Resume, retry or skip a campaign's module (name:stream): its maintainers and release engineers. */
export function mayActOnModule(person: Person | null, module: string): boolean {
  if (!person) return false;
  if (person.role === 'release-engineer') return true;
  return person.role === 'maintainer' && person.maintains.includes(`modules/${module.split(':')[0]}`);
}

/** Cancel a campaign: who started it, and release engineers. */
export function mayCancel(person: Person | null, createdBy: string | null): boolean {
  if (!person) return false;
  return person.role === 'release-engineer' || (person.role === 'maintainer' && person.name === createdBy);
}
