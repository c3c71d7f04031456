// Generators for the benchmark inputs (deterministic, no randomness).
import type { ExecutionsFile, IncompleteExecution } from '../src/core/executions/model';

const ERROR_TYPES = ['ConnectionError', 'RateLimitError', 'DataError', 'ModuleTimeoutError', 'InvalidAccessTokenError'];
const STATUSES = ['pending', 'unresolved', 'resolved', 'in-progress'] as const;

/** `count` realistic incomplete executions spread over a few scenarios. */
export function generateExecutions(count: number): ExecutionsFile {
  const executions: IncompleteExecution[] = [];
  const base = Date.UTC(2026, 10, 20, 10, 0, 0);
  for (let i = 0; i < count; i++) {
    const created = new Date(base + i * 60_000).toISOString();
    const status = STATUSES[i % STATUSES.length];
    const type = ERROR_TYPES[i % ERROR_TYPES.length];
    executions.push({
      id: `ie-${i.toString(16).padStart(8, '0')}`,
      scenario: i % 2 === 0 ? 'Invoice export' : 'Lead sync',
      scenarioFile: i % 2 === 0 ? 'scenarios/invoice-export.scenario.yaml' : 'scenarios/lead-sync.scenario.yaml',
      moduleId: 2 + (i % 4),
      moduleName: 'Fetch invoice PDF',
      error: { type, message: `${type} while calling https://api.example.com/invoices/${i}` },
      status,
      autoRetry: status === 'pending',
      attempts: i % 8,
      maxAttempts: 8,
      nextRetryAt: status === 'pending' ? new Date(base + i * 60_000 + 600_000).toISOString() : null,
      created,
      updated: created,
      size: 400 + (i % 300),
      bundle: { invoiceId: 10_000 + i, customer: { name: `Customer ${i}`, email: `c${i}@example.com` } },
      history: [{ at: created, action: 'created', result: 'failed', error: type }],
    });
  }
  return { version: 1, executions };
}

/** A YAML scenario with `count` modules, every third one with a handler route. */
export function generateScenarioYaml(count: number): string {
  const lines = ['name: Generated scenario', 'settings:', '  storeIncompleteExecutions: true', 'modules:'];
  lines.push('  - id: 1', '    app: webhook:customWebhook', '    name: Trigger');
  for (let id = 2; id <= count; id++) {
    lines.push(`  - id: ${id}`, '    app: http:makeRequest', `    name: Step ${id}`);
    if (id % 3 === 0) {
      lines.push(
        '    onError:',
        '      errors: [ConnectionError, RateLimitError]',
        '      directive: break',
        '      autoComplete: true',
        '      attempts: 3',
        '      intervalMinutes: 15',
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** A YAML scenario with `count` modules where only every 20th has a handler route: missing-error-handler findings dominate. */
export function generateUnhandledScenarioYaml(count: number): string {
  const lines = ['name: Mostly unhandled', 'settings:', '  storeIncompleteExecutions: true', 'modules:'];
  lines.push('  - id: 1', '    app: webhook:customWebhook', '    name: Trigger');
  for (let id = 2; id <= count; id++) {
    lines.push(`  - id: ${id}`, '    app: http:makeRequest', `    name: Step ${id}`);
    if (id % 20 === 0) lines.push('    onError:', '      directive: ignore');
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A blueprint export of about `count` modules in groups: an if-else whose branches hold modules with
 * handler routes filtered on the error type and on the message, a router inside a handler route
 * whose routes end in different directives, and a Merge after the if-else.
 */
export function generateNestedBlueprint(count: number): string {
  let id = 1;
  const mod = (app: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    id: id++,
    module: app,
    version: 1,
    parameters: {},
    mapper: {},
    metadata: { designer: { x: 0, y: 0 } },
    ...extra,
  });
  const flow: Record<string, unknown>[] = [mod('gateway:CustomWebHook')];
  while (id < count) {
    const typed = mod('http:ActionSendData');
    typed.onerror = [
      {
        id: id++,
        module: 'builtin:Ignore',
        version: 1,
        filter: { name: 'Runtime', conditions: [[{ a: `{{${String(typed.id)}.error.type}}`, b: 'RuntimeError', o: 'text:equal' }]] },
      },
    ];
    const byMessage = mod('http:ActionSendData');
    byMessage.onerror = [
      {
        id: id++,
        module: 'slack:CreateMessage',
        version: 1,
        filter: {
          name: 'Timeouts',
          conditions: [[{ a: `{{${String(byMessage.id)}.error.message}}`, b: 'timeout', o: 'text:contain:ci' }]],
        },
      },
      { id: id++, module: 'builtin:Break', version: 1, mapper: { retry: true, count: '3', interval: '15' } },
    ];
    const routed = mod('http:ActionSendData');
    routed.onerror = [
      mod('builtin:BasicRouter', {
        mapper: null,
        routes: [
          {
            flow: [
              {
                id: id++,
                module: 'builtin:Resume',
                version: 1,
                filter: { name: 'Dup', conditions: [[{ a: `{{${String(routed.id)}.error.message}}`, b: 'exists', o: 'text:contain' }]] },
              },
            ],
          },
          { flow: [{ id: id++, module: 'builtin:Rollback', version: 1 }] },
        ],
      }),
    ];
    const ifElse = mod('builtin:BasicIfElse', {
      mapper: null,
      branches: [
        {
          type: 'condition',
          label: 'A',
          conditions: [[{ a: '{{1.kind}}', b: 'a', o: 'text:equal' }]],
          merge: true,
          flow: [typed, byMessage, mod('google-sheets:addRow')],
        },
        { type: 'else', label: '', merge: true, flow: [routed, mod('slack:CreateMessage')] },
      ],
    });
    flow.push(ifElse, mod('builtin:BasicMerge', { mapper: null }), mod('http:ActionSendData'));
  }
  const blueprint = {
    name: 'Nested shapes',
    flow,
    metadata: { instant: false, version: 1, scenario: { roundtrips: 1, maxErrors: 3, sequential: false, dataloss: false, dlq: true } },
  };
  return `${JSON.stringify(blueprint, null, 2)}\n`;
}
