import { goneFromMake, isResolvable, isRetryable, originOf, type IncompleteExecution } from '../../../core/executions/model';

/**
 * What can be done with a record; the same rules drive the context-menu tokens and the pickers.
 * Whether Retry and Resolve apply is the core's rule (core/executions/model.ts), the one the
 * actions apply.
 */

export function hasBundle(r: IncompleteExecution): boolean {
  return r.bundle !== undefined;
}

export function hasModule(r: IncompleteExecution): boolean {
  return Number.isInteger(r.moduleId) && r.moduleId > 0;
}

/** `contextValue` of an execution item: space-separated capability tokens (menus match `\btoken\b`). */
export function executionContextValue(r: IncompleteExecution): string {
  const origin = originOf(r);
  const tokens = ['execution', r.status];
  // Records from Make get their own menu entries (Retry with the Local Scenario) and no Resolve.
  if (origin === 'make') tokens.push('make');
  if (goneFromMake(r)) tokens.push('gone');
  if (isRetryable(r)) tokens.push('retryable');
  // Make's API cannot mark a record resolved: Resolve is offered for local records only.
  if (isResolvable(r) && origin !== 'make') tokens.push('resolvable');
  if (hasBundle(r)) tokens.push('hasBundle');
  if (hasModule(r)) tokens.push('hasModule');
  return tokens.join(' ');
}
