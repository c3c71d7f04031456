// CONTRACT STUB — owned by the "core-yaml" helper. Format-agnostic: works from the model's spans.
import type { Directive, ErrorHandlerRoute, ScenarioModule, ScenarioSettings, Span } from './model';
import type { ParsedScenario } from './lint';

export type ScenarioSymbol =
  | { readonly kind: 'errorType'; readonly name: string; readonly span: Span }
  | { readonly kind: 'directive'; readonly directive: Directive; readonly route: ErrorHandlerRoute; readonly module: ScenarioModule; readonly span: Span }
  | { readonly kind: 'setting'; readonly key: keyof ScenarioSettings; readonly span: Span }
  | { readonly kind: 'module'; readonly module: ScenarioModule; readonly span: Span };

/** What sits at `offset` (for hovers): an error type name (in `errors:` or a fault), a directive, a setting key, a module id. */
export function symbolAt(parsed: ParsedScenario, offset: number): ScenarioSymbol | undefined {
  void parsed; void offset;
  return undefined;
}
