/**
 * Where the executions' scenarios are read from. A retry replays a record against the *current*
 * scenario file, found by the record's `scenarioFile` or by its scenario name (the lookup rules are
 * `createScenarioResolver`'s, core/scenario/workspace.ts). Which files exist and how they are read
 * depends on the caller:
 * - `disk`: the workspace root on the local disk, walked for the scenario globs (node_modules and
 *   .git skipped), each file read when the lookup first needs it. The CLI's source.
 * - `reader`: the caller lists and reads the files (the VS Code extension, through its workspace
 *   file system, which also serves virtual folders). The texts are read ahead, once per lookup.
 */
import * as path from 'node:path';
import {
  DEFAULT_SCENARIO_GLOBS,
  createFsScenarioResolver,
  createScenarioResolver,
  filterScenarioFiles,
  toPosixPath,
  type ScenarioFileSource as ResolverSource,
  type WorkspaceScenarioResolver,
} from '../scenario/workspace';
import type { IncompleteExecution } from './model';

/** The file access of a caller that is not the local disk. Paths are workspace-relative, forward slashes. */
export interface ScenarioFileReader {
  /** The files matching any of `globs` (node_modules and .git may be left out); the core filters them again. */
  findFiles(globs: readonly string[]): Promise<readonly string[]>;
  /** A file's text as saved (UTF-8, byte-order mark dropped); undefined when it is missing or unreadable. */
  readFile(relPath: string): Promise<string | undefined>;
}

export type ScenarioFileSource =
  | {
      readonly kind: 'disk';
      /** Absolute workspace root; `scenarioFile` paths are relative to it. */
      readonly root: string;
      /** Default: the `fusionExecutions.scenarioGlobs` default. */
      readonly globs?: readonly string[];
    }
  | {
      readonly kind: 'reader';
      readonly reader: ScenarioFileReader;
      readonly globs?: readonly string[];
    };

/** An execution's `scenarioFile` as a workspace-relative path, or undefined (none, or outside the workspace). */
function ownScenarioFile(r: IncompleteExecution): string | undefined {
  if (typeof r.scenarioFile !== 'string' || r.scenarioFile.trim() === '') return undefined;
  const rel = toPosixPath(r.scenarioFile.trim());
  return rel.startsWith('../') || path.posix.isAbsolute(rel) ? undefined : rel;
}

/**
 * The scenario lookup for `executions` (the records about to be replayed or explained): every
 * scenario file of the source, plus each record's own `scenarioFile` when the globs do not match it.
 */
export async function scenarioResolverFor(
  source: ScenarioFileSource,
  executions: Iterable<IncompleteExecution>,
): Promise<WorkspaceScenarioResolver> {
  const globs = source.globs ?? DEFAULT_SCENARIO_GLOBS;
  if (source.kind === 'disk') return createFsScenarioResolver(source.root, globs);
  const { reader } = source;
  const paths = filterScenarioFiles(await reader.findFiles(globs), globs);
  const known = new Set(paths);
  for (const r of executions) {
    const rel = ownScenarioFile(r);
    if (rel === undefined || known.has(rel)) continue;
    known.add(rel);
    paths.push(rel);
  }
  const texts = await Promise.all(paths.map((p) => reader.readFile(p)));
  const sources: ResolverSource[] = [];
  paths.forEach((p, i) => {
    const text = texts[i];
    if (text !== undefined) sources.push({ path: p, text });
  });
  return createScenarioResolver(sources);
}
