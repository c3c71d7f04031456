/** Entry of the Make features: the commands that talk to Make and the watch (polling, status bar). */
import * as vscode from 'vscode';
import type { CommandContext } from '../shared/commandContext';
import { CONNECT_COMMAND, connectCommand, disconnectCommand, pullCommand, retryWithLocalScenarioCommand } from './commands';
import { MakeWatcher } from './watch';

export function registerMakeFeatures(context: vscode.ExtensionContext, ctx: CommandContext): MakeWatcher {
  const watcher = new MakeWatcher(ctx);
  context.subscriptions.push(
    watcher,
    vscode.commands.registerCommand(CONNECT_COMMAND, (a) => connectCommand(ctx, a)),
    vscode.commands.registerCommand('fusionExecutions.disconnectMake', (a) => disconnectCommand(ctx, a)),
    vscode.commands.registerCommand('fusionExecutions.pullFromMake', (a) => pullCommand(ctx, a)),
    vscode.commands.registerCommand('fusionExecutions.retryWithLocalScenario', (a, b) => retryWithLocalScenarioCommand(ctx, a, b)),
  );
  return watcher;
}
