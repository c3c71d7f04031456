/**
 * Every command of `fusion-executions`, in the order `--help` lists them. A new command is its own
 * file in this folder plus one line here; main.ts dispatches and --help reads this list.
 */
import type { Command } from '../args';
import { classifyCommand } from './classify';
import { convertCommand } from './convert';
import { deleteCommand } from './delete';
import { importCommand } from './import';
import { lintCommand } from './lint';
import { listCommand } from './list';
import { pullCommand } from './pull';
import { resolveCommand } from './resolve';
import { retryCommand } from './retry';
import { runDueCommand } from './runDue';
import { simulateCommand } from './simulate';

export const COMMANDS: readonly Command[] = [
  lintCommand,
  classifyCommand,
  simulateCommand,
  listCommand,
  retryCommand,
  resolveCommand,
  deleteCommand,
  runDueCommand,
  pullCommand,
  importCommand,
  convertCommand,
];
