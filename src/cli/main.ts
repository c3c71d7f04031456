// CONTRACT STUB — owned by the "cli" helper.
const pkg = { version: '0.1.0' };
if (process.argv.includes('--version')) {
  process.stdout.write(`${pkg.version}\n`);
} else {
  process.stderr.write('fusion-executions: not implemented yet\n');
  process.exitCode = 2;
}
