// What one hub method is: its parameter names (kojihub.py's signature, in order, for positional and
// keyword binding) and its body. Argument readers raise ParameterError naming the argument.
import type { HubContext } from './koji-shapes';
import { FAULT, KojiFault, type XmlRpcValue } from '../../platform/xmlrpc-codec';

export type Args = Record<string, XmlRpcValue>;

export interface KojiMethod {
  params: readonly string[];
  call(ctx: HubContext, args: Args): Promise<XmlRpcValue> | XmlRpcValue;
}

export type MethodTable = Record<string, KojiMethod>;

export function intOrName(method: string, args: Args, name: string): number | string | undefined {
  const v = args[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' || typeof v === 'string') return v;
  // Koji accepts a build or tag info map in many places: its id or name is what counts.
  if (typeof v === 'object' && !Array.isArray(v)) {
    const { id, name: n, nvr } = v as Record<string, XmlRpcValue>;
    if (typeof id === 'number') return id;
    if (typeof nvr === 'string') return nvr;
    if (typeof n === 'string') return n;
  }
  throw new KojiFault(FAULT.parameter, `${method}: ${name} must be an id or a name`);
}

export function required(method: string, args: Args, name: string): number | string {
  const v = intOrName(method, args, name);
  if (v === undefined) throw new KojiFault(FAULT.parameter, `${method}() missing required argument: '${name}'`);
  return v;
}

export const notFound = (what: string, ref: number | string) =>
  new KojiFault(FAULT.generic, `No such ${what}: ${typeof ref === 'string' ? `'${ref}'` : ref}`);
