/** The `make` section of `.fusionlintrc.json` (core/make/config.ts), and the lint config leaving it alone. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProjectConfig } from '../../src/core/config';
import { MakeConfigError, parseMakeConfig } from '../../src/core/make/config';

const TEXT = `{
  // the lint settings of the team
  "rules": { "missing-error-handler": "error" },
  "make": {
    "zone": "eu1.make.com",
    "teamId": 12,
    "scenarios": { "scenarios/invoice.blueprint.json": 4321, "./scenarios/lead.blueprint.json": 99, },
    "requestsPerMinute": 120,
  },
}
`;

describe('make config', () => {
  test('zone, team, scenario files and the request budget; comments and trailing commas are fine', () => {
    const c = parseMakeConfig(TEXT, '.fusionlintrc.json');
    assert.equal(c.connection?.baseUrl, 'https://eu1.make.com/api/v2');
    assert.equal(c.teamId, 12);
    assert.deepEqual(
      [...c.fileOf],
      [
        [4321, 'scenarios/invoice.blueprint.json'],
        [99, 'scenarios/lead.blueprint.json'],
      ],
    );
    assert.equal(c.requestsPerMinute, 120);
    assert.equal(parseMakeConfig('{"rules": {}}', 'f').connection, undefined, 'no make section: nothing configured');
  });

  test('apiUrl wins over zone', () => {
    const c = parseMakeConfig('{"make": {"zone": "eu1.make.com", "apiUrl": "http://127.0.0.1:8123/api/v2"}}', 'f');
    assert.equal(c.connection?.baseUrl, 'http://127.0.0.1:8123/api/v2');
  });

  test('mistakes name the file, the line and the column', () => {
    const bad = (text: string, re: RegExp, line: number): void => {
      assert.throws(
        () => parseMakeConfig(text, '.fusionlintrc.json'),
        (e: unknown) => e instanceof MakeConfigError && re.test(e.message) && e.line === line,
      );
    };
    bad('{"make": {\n  "zone": "eu9.make.com"}}', /^\.fusionlintrc\.json:2:\d+: "make\.zone": unknown Make zone 'eu9\.make\.com'/, 2);
    bad('{"make": {\n "teamId": "12"}}', /"make\.teamId" must be a positive integer/, 2);
    bad('{"make": {"scenarios": {\n"a.blueprint.json": 1, "b.blueprint.json": 1}}}', /scenario 1 is mapped to two files/, 2);
    bad('{"make": {"scenarios": {\n"../x.blueprint.json": 1}}}', /relative to the workspace/, 2);
    bad('{"make": \n[}', /JSON syntax error/, 2);
  });

  test("the lint configuration accepts the make section (it is this reader's)", () => {
    const parsed = parseProjectConfig(TEXT);
    assert.deepEqual(parsed.findings, []);
    assert.equal(parsed.config?.rules['missing-error-handler'], 'error');
  });
});
