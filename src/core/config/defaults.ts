/**
 * Modules exempt from `missing-error-handler` / `partial-error-handler` unless a configuration
 * says `"exempt": {"defaults": false}`.
 *
 * The rule: a module is exempt by default when it does no I/O and its only possible failures are
 * mistakes in how it is set up (a wrong pattern, a wrong source module), which show on the first
 * run and which no error-handler route can repair. An error handler on them is never what a team
 * means; warning about it buries the warnings that matter. Measured on 119 real exports from 26
 * public repositories: these apps carry about a fifth of all missing-error-handler warnings.
 *
 * Deliberately NOT exempt, because bad data makes them fail and a handler (Resume with a default,
 * Ignore to drop the bundle, Break to retry) does help: `json:ParseJSON` and the other parsers of
 * external data, `math:EvaluateExpression`, `gateway:WebhookRespond` (the caller may be gone),
 * every app that talks to a service (`http:*`, `google-sheets:*`, ...).
 */
export const DEFAULT_EXEMPT_APPS: readonly string[] = [
  // Flow control: iterate, aggregate, repeat, branch, merge (routers are never reported anyway).
  'builtin:BasicFeeder',
  'builtin:Iterator',
  'builtin:BasicAggregator',
  'builtin:BasicRepeater',
  'builtin:BasicRouter',
  'builtin:BasicIfElse',
  'builtin:BasicMerge',
  'placeholder:Placeholder',
  // Tools: variables, sleep, text aggregation and composition, switch, counters.
  'util:SetVariable',
  'util:SetVariable2',
  'util:SetVariables',
  'util:GetVariable',
  'util:GetVariable2',
  'util:GetVariables',
  'util:FunctionSleep',
  'util:TextAggregator',
  'tools:TextAggregator',
  'util:ComposeTransformer',
  'util:Switcher',
  'util:FunctionIncrement',
  // Text parser and Markdown: in-memory text functions (a wrong pattern is a setup mistake).
  'regexp:Parser',
  'regexp:AdvancedParser',
  'regexp:Replace',
  'regexp:HTMLToText',
  'markdown:Compile',
];
