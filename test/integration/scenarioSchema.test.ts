// The contributed scenario schema stays in step with the catalogue and the model.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ERROR_TYPES } from '../../src/core/catalogue/catalogue';
import { DIRECTIVES, PROFILES } from '../../src/core/model';
import { EXTENSION_ID } from './scenarioSupport';

interface Schema {
  properties: { settings: { properties: Record<string, { description?: string; enum?: string[] }> } };
  definitions: Record<
    string,
    {
      properties: Record<
        string,
        { description?: string; enum?: string[]; items?: { anyOf: { enum?: string[] }[] }; anyOf?: { enum?: string[] }[] }
      >;
    }
  >;
}

suite('scenario schema', () => {
  test('error-type, directive and profile enums match the core; every field is described', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(ext.extensionUri, 'schemas', 'scenario.schema.json'));
    const schema = JSON.parse(new TextDecoder().decode(bytes)) as Schema;
    const names = ERROR_TYPES.map((e) => e.name);
    assert.deepEqual(schema.definitions.route.properties.errors.items?.anyOf[0].enum, names);
    assert.deepEqual(schema.definitions.fault.properties.error.anyOf?.[0].enum, names);
    assert.deepEqual(schema.definitions.route.properties.directive.enum, [...DIRECTIVES]);
    assert.deepEqual(schema.properties.settings.properties.profile.enum, [...PROFILES]);
    for (const [defName, def] of Object.entries(schema.definitions)) {
      for (const [field, prop] of Object.entries(def.properties)) {
        assert.ok(prop.description, `${defName}.${field} has a description`);
      }
    }
    for (const [field, prop] of Object.entries(schema.properties.settings.properties)) {
      assert.ok(prop.description, `settings.${field} has a description`);
    }
  });
});
