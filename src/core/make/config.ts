/**
 * The workspace's Make settings: the `make` section of the project config file
 * `.fusionlintrc.json` at the workspace root, e.g.
 *
 *   { "make": { "zone": "eu1.make.com", "teamId": 12,
 *               "scenarios": { "scenarios/invoice.blueprint.json": 4321 },
 *               "requestsPerMinute": 60 } }
 *
 * - `zone` (one of Make's zones) or `apiUrl` (a base URL, e.g. http://127.0.0.1:8123/api/v2; wins
 *   over `zone`): where the API is. The command line's --zone / --api-url win over both.
 * - `teamId`: the team a pull without a scenario list reads (every scenario of it with incomplete
 *   executions), and the team recorded on pulled records.
 * - `scenarios`: workspace-relative scenario file → Make scenario id. A pull reads these scenarios,
 *   and the records it brings in point at that file (`scenarioFile`), so Reveal Module and
 *   "Retry with the local scenario" know which file is the scenario.
 * - `requestsPerMinute`: the organization's API limit (Core 60, Pro 120, Teams 240, Enterprise 1000).
 *
 * The file is JSON with comments and trailing commas, as for the lint configuration
 * (core/config), which reads the other sections and leaves `make` to this reader.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type JSONPath, type ParseError } from 'jsonc-parser';
import { stripBom } from '../text/bom';
import { lineColumnAt } from '../text/json';
import { connectionForApiUrl, connectionForZone, MakeConnectionError, type MakeConnection } from './connection';

export const PROJECT_CONFIG_FILE = '.fusionlintrc.json';

export interface MakeWorkspaceConfig {
  readonly connection?: MakeConnection;
  readonly teamId?: number;
  /** Make scenario id → workspace-relative scenario file (forward slashes). */
  readonly fileOf: ReadonlyMap<number, string>;
  readonly requestsPerMinute?: number;
}

export const EMPTY_MAKE_CONFIG: MakeWorkspaceConfig = { fileOf: new Map() };

/** A problem in the config file, with its 1-based position when known. */
export class MakeConfigError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(`${file}${line !== undefined ? `:${line}:${column ?? 1}` : ''}: ${detail}`);
    this.name = 'MakeConfigError';
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isId(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}

/** Reads the `make` section of the config text (JSON with comments); `file` names it in errors. */
export function parseMakeConfig(rawText: string, file: string): MakeWorkspaceConfig {
  const text = stripBom(rawText).text;
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0 || !tree) {
    const e = errors[0];
    const pos = e ? lineColumnAt(text, e.offset) : { line: 1, column: 1 };
    throw new MakeConfigError(file, e ? `JSON syntax error (${printParseErrorCode(e.error)})` : 'the file is empty', pos.line, pos.column);
  }
  const fail = (detail: string, at: JSONPath): never => {
    const node = findNodeAtLocation(tree, at) ?? tree;
    const pos = lineColumnAt(text, node.offset);
    throw new MakeConfigError(file, detail, pos.line, pos.column);
  };
  const value: unknown = getNodeValue(tree);
  if (!isObject(value)) fail('the config must be a JSON object', []);
  const root = value as Record<string, unknown>;
  const make = root.make;
  if (make === undefined) return EMPTY_MAKE_CONFIG;
  if (!isObject(make)) return fail('"make" must be an object', ['make']);
  let connection: MakeConnection | undefined;
  try {
    if (make.apiUrl !== undefined) {
      if (typeof make.apiUrl !== 'string') fail('"make.apiUrl" must be a string', ['make', 'apiUrl']);
      connection = connectionForApiUrl(make.apiUrl as string);
    } else if (make.zone !== undefined) {
      if (typeof make.zone !== 'string') fail('"make.zone" must be a string', ['make', 'zone']);
      connection = connectionForZone(make.zone as string);
    }
  } catch (e) {
    if (e instanceof MakeConnectionError)
      fail(`"make.${make.apiUrl !== undefined ? 'apiUrl' : 'zone'}": ${e.message}`, [
        'make',
        make.apiUrl !== undefined ? 'apiUrl' : 'zone',
      ]);
    throw e;
  }
  if (make.teamId !== undefined && !isId(make.teamId))
    fail('"make.teamId" must be a positive integer (the Make team id)', ['make', 'teamId']);
  if (make.requestsPerMinute !== undefined && !isId(make.requestsPerMinute)) {
    fail('"make.requestsPerMinute" must be a positive integer (the organization\'s API requests per minute)', [
      'make',
      'requestsPerMinute',
    ]);
  }
  const fileOf = new Map<number, string>();
  if (make.scenarios !== undefined) {
    if (!isObject(make.scenarios))
      fail('"make.scenarios" must map scenario files to Make scenario ids, e.g. {"scenarios/invoice.blueprint.json": 4321}', [
        'make',
        'scenarios',
      ]);
    for (const [f, id] of Object.entries(make.scenarios as Record<string, unknown>)) {
      if (!isId(id)) fail(`"make.scenarios" → "${f}" must be a Make scenario id (a positive integer)`, ['make', 'scenarios', f]);
      const rel = f.replace(/\\/g, '/').replace(/^\.\//, '');
      if (rel === '' || rel.startsWith('../') || path.posix.isAbsolute(rel))
        fail(`"make.scenarios" → "${f}": the path must be relative to the workspace`, ['make', 'scenarios', f]);
      if (fileOf.has(id as number))
        fail(`"make.scenarios": scenario ${String(id)} is mapped to two files ("${fileOf.get(id as number)}" and "${f}")`, [
          'make',
          'scenarios',
          f,
        ]);
      fileOf.set(id as number, rel);
    }
  }
  return {
    ...(connection ? { connection } : {}),
    ...(make.teamId !== undefined ? { teamId: make.teamId as number } : {}),
    fileOf,
    ...(make.requestsPerMinute !== undefined ? { requestsPerMinute: make.requestsPerMinute as number } : {}),
  };
}

/** The `make` section of `<root>/.fusionlintrc.json`; an empty config when the file does not exist. */
export async function loadMakeConfig(root: string): Promise<MakeWorkspaceConfig> {
  const file = path.join(root, PROJECT_CONFIG_FILE);
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ENOENT') return EMPTY_MAKE_CONFIG;
    throw new MakeConfigError(file, `cannot read it (${String((e as { code?: unknown }).code ?? e)})`);
  }
  return parseMakeConfig(text, file);
}
