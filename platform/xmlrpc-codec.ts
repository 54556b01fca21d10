// XML-RPC as Koji speaks it (koji/xmlrpcplus.py): <nil/> for None, <i8> for integers beyond 32 bits,
// keyword arguments as a trailing struct marked __starstar, faults with Koji's fault codes. Both
// directions: the Koji-compatible hub (api/kojihub/) decodes calls and encodes responses, the hub
// client (activities/koji/koji-hub-client.ts) encodes calls and decodes responses. Pure: no I/O.
import { XMLParser } from 'fast-xml-parser';

export type XmlRpcValue =
  string | number | boolean | null | XmlRpcValue[] | { [key: string]: XmlRpcValue } | KojiDouble | undefined;

/** A number Koji sends as a double even when it is whole (timestamps): Python formats it as a float. */
export class KojiDouble {
  constructor(readonly value: number) {}
}

/** A fault with one of koji's fault codes (koji/__init__.py: GenericError 1000, ParameterError 1019, …). */
export class KojiFault extends Error {
  constructor(
    readonly faultCode: number,
    message: string,
  ) {
    super(message);
  }
}
export const FAULT = {
  generic: 1000,
  auth: 1002,
  tag: 1003,
  actionNotAllowed: 1004,
  build: 1005,
  authExpired: 1007,
  sequence: 1008,
  retry: 1009,
  parameter: 1019,
} as const;

type Node = Record<string, unknown>;
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
});

const tagOf = (node: Node) => Object.keys(node).find((k) => k !== ':@');
const childrenOf = (node: Node, tag: string) => (node[tag] as Node[] | undefined) ?? [];
const elements = (nodes: Node[]) => nodes.filter((n) => tagOf(n) !== '#text');
const textOf = (nodes: Node[]) => nodes.map((n) => String(n['#text'] ?? '')).join('');

function child(nodes: Node[], tag: string): Node[] {
  const found = nodes.find((n) => tagOf(n) === tag);
  if (!found) throw new KojiFault(FAULT.parameter, `malformed XML-RPC request: <${tag}> missing`);
  return childrenOf(found, tag);
}

function decodeValue(valueChildren: Node[]): XmlRpcValue {
  const [typed] = elements(valueChildren);
  if (!typed) return textOf(valueChildren);
  const tag = tagOf(typed)!;
  const inner = childrenOf(typed, tag);
  switch (tag) {
    case 'string':
      return textOf(inner);
    case 'int':
    case 'i4':
    case 'i8': {
      const n = Number(textOf(inner).trim());
      if (!Number.isSafeInteger(n)) throw new KojiFault(FAULT.parameter, `not an integer: ${textOf(inner)}`);
      return n;
    }
    case 'double':
      return Number(textOf(inner).trim());
    case 'boolean':
      return textOf(inner).trim() === '1';
    case 'nil':
      return null;
    case 'dateTime.iso8601':
    case 'base64':
      return textOf(inner).trim();
    case 'array':
      return elements(child(inner, 'data')).map((v) => decodeValue(childrenOf(v, 'value')));
    case 'struct': {
      const out: Record<string, XmlRpcValue> = {};
      for (const member of elements(inner)) {
        const parts = childrenOf(member, 'member');
        out[textOf(child(parts, 'name'))] = decodeValue(child(parts, 'value'));
      }
      return out;
    }
    default:
      throw new KojiFault(FAULT.parameter, `unsupported XML-RPC type <${tag}>`);
  }
}

export interface MethodCall {
  method: string;
  params: XmlRpcValue[];
}

function parseXml(xml: string, what: string): Node[] {
  try {
    return parser.parse(xml) as Node[];
  } catch (err) {
    throw new KojiFault(FAULT.parameter, `the ${what} is not XML: ${(err as Error).message}`);
  }
}

export function decodeMethodCall(xml: string): MethodCall {
  const doc = parseXml(xml, 'request');
  const call = child(doc, 'methodCall');
  const method = textOf(child(call, 'methodName')).trim();
  const paramsNode = call.find((n) => tagOf(n) === 'params');
  const params = paramsNode
    ? elements(childrenOf(paramsNode, 'params')).map((p) => decodeValue(child(childrenOf(p, 'param'), 'value')))
    : [];
  return { method, params };
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const I4_MAX = 2 ** 31 - 1;

export function encodeValue(value: XmlRpcValue): string {
  if (value === null || value === undefined) return '<value><nil/></value>';
  if (value instanceof KojiDouble) return `<value><double>${value.value}</double></value>`;
  if (typeof value === 'string') return `<value><string>${escapeXml(value)}</string></value>`;
  if (typeof value === 'boolean') return `<value><boolean>${value ? 1 : 0}</boolean></value>`;
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return `<value><double>${value}</double></value>`;
    return Math.abs(value) > I4_MAX ? `<value><i8>${value}</i8></value>` : `<value><int>${value}</int></value>`;
  }
  if (Array.isArray(value)) return `<value><array><data>${value.map(encodeValue).join('')}</data></array></value>`;
  const members = Object.entries(value)
    .map(([k, v]) => `<member><name>${escapeXml(k)}</name>${encodeValue(v)}</member>`)
    .join('');
  return `<value><struct>${members}</struct></value>`;
}

const HEAD = "<?xml version='1.0'?>\n";

export const encodeResponse = (value: XmlRpcValue) =>
  `${HEAD}<methodResponse><params><param>${encodeValue(value)}</param></params></methodResponse>\n`;

export const encodeFault = (fault: KojiFault) =>
  `${HEAD}<methodResponse><fault>${encodeValue({ faultCode: fault.faultCode, faultString: fault.message })}</fault></methodResponse>\n`;

/** Koji's decode_args: a trailing struct with __starstar holds the keyword arguments. */
export function splitKeywordArgs(params: XmlRpcValue[]): { args: XmlRpcValue[]; opts: Record<string, XmlRpcValue> } {
  const last = params.at(-1);
  if (last && typeof last === 'object' && !Array.isArray(last) && !(last instanceof KojiDouble) && last.__starstar) {
    const { __starstar: _marker, ...opts } = last;
    return { args: params.slice(0, -1), opts };
  }
  return { args: params, opts: {} };
}

/**
 * Binds positional and keyword arguments to a method's parameter names, as Python would (koji's
 * call_with_argcheck): too many or unknown arguments are a ParameterError naming the argument.
 */
export function bindArgs(
  method: string,
  names: readonly string[],
  args: XmlRpcValue[],
  opts: Record<string, XmlRpcValue>,
): Record<string, XmlRpcValue> {
  if (args.length > names.length) {
    throw new KojiFault(FAULT.parameter, `${method}() takes at most ${names.length} arguments (${args.length} given)`);
  }
  const bound: Record<string, XmlRpcValue> = {};
  args.forEach((a, i) => (bound[names[i]!] = a));
  for (const [k, v] of Object.entries(opts)) {
    if (!names.includes(k))
      throw new KojiFault(FAULT.parameter, `${method}() got an unexpected keyword argument '${k}'`);
    if (k in bound) throw new KojiFault(FAULT.parameter, `${method}() got multiple values for argument '${k}'`);
    bound[k] = v;
  }
  return bound;
}

/** Koji's encode_args: keyword arguments travel as a trailing struct marked __starstar. */
export function encodeMethodCall(
  method: string,
  args: XmlRpcValue[],
  kwargs: Record<string, XmlRpcValue> = {},
): string {
  const params = Object.keys(kwargs).length > 0 ? [...args, { ...kwargs, __starstar: true }] : args;
  const encoded = params.map((p) => `<param>${encodeValue(p)}</param>`).join('');
  return `${HEAD}<methodCall><methodName>${escapeXml(method)}</methodName><params>${encoded}</params></methodCall>\n`;
}

/** A methodResponse: its value, or its fault as a KojiFault (thrown). */
export function decodeMethodResponse(xml: string): XmlRpcValue {
  const response = child(parseXml(xml, 'response'), 'methodResponse');
  const fault = response.find((n) => tagOf(n) === 'fault');
  if (fault) {
    const value = decodeValue(child(childrenOf(fault, 'fault'), 'value')) as Record<string, XmlRpcValue>;
    const code = typeof value?.faultCode === 'number' ? value.faultCode : FAULT.generic;
    throw new KojiFault(code, String(value?.faultString ?? 'fault without a faultString'));
  }
  const params = elements(child(response, 'params'));
  const [first] = params;
  return first ? decodeValue(child(childrenOf(first, 'param'), 'value')) : null;
}
