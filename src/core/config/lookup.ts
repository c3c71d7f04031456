/**
 * Where the project configuration of a file is: the nearest `.fusionlintrc.json` found by walking
 * up from the file's folder, the folder itself first. The walk stops after the first folder that
 * is a root: for the CLI a folder holding `.git` (a repository or a worktree), for the extension
 * the workspace folder; else at the file system's root. The nearest file wins alone: files further
 * up are not merged into it (a folder that needs other settings gets its own complete file, or an
 * `overrides` entry in the shared one).
 *
 * The file system is passed in, so the CLI (node:fs) and the extension (workspace.fs, async) share
 * the walk.
 */
import * as path from 'node:path';
import { CONFIG_FILE_NAME } from './types';

export interface ConfigLookupHost {
  /** True when a regular file exists at the path. */
  readonly fileExists: (file: string) => boolean;
  /** True when the walk must not go above this folder. */
  readonly isRoot: (dir: string) => boolean;
}

export interface AsyncConfigLookupHost {
  readonly fileExists: (file: string) => Promise<boolean>;
  readonly isRoot: (dir: string) => boolean | Promise<boolean>;
}

/** The folders the lookup visits for a file in `startDir`, nearest first (at most 256). */
function* upwards(startDir: string, p: path.PlatformPath): Generator<string> {
  let dir = p.resolve(startDir);
  for (let i = 0; i < 256; i++) {
    yield dir;
    const parent = p.dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}

/** The configuration file for a file in `startDir`, or undefined. `p` = the path flavour of the host (default: the OS's). */
export function findConfigFile(startDir: string, host: ConfigLookupHost, p: path.PlatformPath = path): string | undefined {
  for (const dir of upwards(startDir, p)) {
    const candidate = p.join(dir, CONFIG_FILE_NAME);
    if (host.fileExists(candidate)) return candidate;
    if (host.isRoot(dir)) return undefined;
  }
  return undefined;
}

/** `findConfigFile` over an asynchronous file system (the extension's `workspace.fs`; use `path.posix` for URI paths). */
export async function findConfigFileAsync(
  startDir: string,
  host: AsyncConfigLookupHost,
  p: path.PlatformPath = path,
): Promise<string | undefined> {
  for (const dir of upwards(startDir, p)) {
    const candidate = p.join(dir, CONFIG_FILE_NAME);
    if (await host.fileExists(candidate)) return candidate;
    if (await host.isRoot(dir)) return undefined;
  }
  return undefined;
}
