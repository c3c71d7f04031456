/**
 * The project configuration of each linted file, for the CLI and the extension alike: find the
 * nearest `.fusionlintrc.json` (see lookup.ts), read it, parse it, and keep the result per
 * configuration file, so a run over many files reads and parses each configuration once.
 *
 * A configuration that cannot be read, or that has a syntax error, gives no configuration (the
 * files it would govern are linted with the defaults only) and `invalid-config` findings at their
 * place in the configuration file; the caller reports them on that file.
 *
 * The file system is passed in (`ConfigHost`): the CLI answers from node:fs, the extension from the
 * configuration files it has read through `workspace.fs` and keeps current with a file watcher.
 * Answers are cached for the resolver's lifetime: make a new resolver when the files may have
 * changed (the CLI makes one per run, the extension one per change of a configuration file).
 */
import * as path from 'node:path';
import { DEFAULT_SEVERITIES } from '../lint/registry';
import type { Finding } from '../model';
import { findConfigFile } from './lookup';
import type { ConfigLookupHost } from './lookup';
import { parseProjectConfig } from './parse';
import type { ProjectConfig } from './types';

/** The text of a configuration file, or why it cannot be read ("binary file", "permission denied"). */
export type ConfigRead = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly problem: string };

export interface ConfigHost extends ConfigLookupHost {
  /** Reads a configuration file the lookup found. Never throws: a failure is `{ok: false, problem}`. */
  readonly readText: (file: string) => ConfigRead;
}

/** One configuration file, read and parsed. */
export interface LoadedConfig {
  /** The configuration file's path, in the host's path flavour. */
  readonly file: string;
  /** Undefined when the file could not be read, has a syntax error or is not a JSON object. */
  readonly config: ProjectConfig | undefined;
  /** `invalid-config` findings on the configuration file, in file order. */
  readonly findings: readonly Finding[];
}

export interface ConfigResolverOptions {
  /** One configuration for every file (the CLI's `--config FILE`), instead of the lookup. */
  readonly explicit?: string;
  /** The path flavour of the host's paths (default: the OS's; `path.posix` for URI paths). */
  readonly pathFlavour?: path.PlatformPath;
}

/** The configuration of a file that has been read: parsed, or one finding saying why it cannot be read. */
export function loadProjectConfig(file: string, read: ConfigRead): LoadedConfig {
  if (!read.ok) {
    const finding: Finding = {
      code: 'invalid-config',
      severity: DEFAULT_SEVERITIES['invalid-config'],
      message: `The project configuration cannot be read: ${read.problem}. It is not applied.`,
      span: { start: 0, end: 0 },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    };
    return { file, config: undefined, findings: [finding] };
  }
  const parsed = parseProjectConfig(read.text);
  return { file, config: parsed.config, findings: parsed.findings };
}

/** The configuration of each linted file: the explicit one, else the nearest one (cached per folder and per file). */
export class ConfigResolver {
  private readonly loaded = new Map<string, LoadedConfig>();
  private readonly byDir = new Map<string, string | undefined>();
  private readonly usedList: LoadedConfig[] = [];
  private readonly p: path.PlatformPath;

  constructor(
    private readonly host: ConfigHost,
    private readonly options: ConfigResolverOptions = {},
  ) {
    this.p = options.pathFlavour ?? path;
  }

  /** The configuration that applies to `file` (a path in the host's flavour), or undefined when there is none. */
  forFile(file: string): LoadedConfig | undefined {
    const found = this.options.explicit ?? this.lookup(this.p.dirname(file));
    return found === undefined ? undefined : this.load(found);
  }

  /** The configurations `forFile` has returned, in first-use order (report their findings once). */
  get used(): readonly LoadedConfig[] {
    return this.usedList;
  }

  private lookup(dir: string): string | undefined {
    if (this.byDir.has(dir)) return this.byDir.get(dir);
    const found = findConfigFile(dir, this.host, this.p);
    this.byDir.set(dir, found);
    return found;
  }

  private load(file: string): LoadedConfig {
    const cached = this.loaded.get(file);
    if (cached) return cached;
    const loaded = loadProjectConfig(file, this.host.readText(file));
    this.loaded.set(file, loaded);
    this.usedList.push(loaded);
    return loaded;
  }
}
