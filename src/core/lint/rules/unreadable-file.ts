// Reported by the CLI's lint run (cli/commands/lint.ts, reading through cli/files.ts) for a file it cannot read as text: a NUL byte
// anywhere, not UTF-8, over the size limit, not a regular file (FIFO, device), or no permission.
// The run goes on with the other files.
import { defineRule } from '../rule';

export const rule = defineRule({
  code: 'unreadable-file',
  defaultSeverity: 'error',
  structural: false,
  suppressible: false,
  summary: 'A file in a lint run cannot be read as text (binary, not UTF-8, too large, not a regular file, or not readable).',
  check: null,
  reportedBy: 'src/cli/commands/lint.ts',
});
