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
