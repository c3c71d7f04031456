import * as vscode from 'vscode';
import { lookupErrorType, ERROR_TYPES, UNKNOWN_TYPE_UNHANDLED } from '../../core/catalogue/catalogue';
import { classify, effectiveProfile, outcomesByErrorType, type OutcomeGroup } from '../../core/classify/classifier';
import { walkModules, type Classification, type Profile, type Scenario, type ScenarioModule, type Span } from '../../core/model';
import { symbolAt, type ScenarioSymbol } from '../../core/scenario/symbols';
import { storageDefaultNote } from '../../core/lint/coverage';
import { isScenarioDocument } from './documentSelector';
import { parsedDocument } from './parsed';
import {
  directiveDescription,
  DIRECTIVES_DOCS_URL,
  groupsMarkdown,
  outcomeLabel,
  profileLine,
  settingDescription,
  SETTINGS_DOCS_URL,
} from './presentation';
import { defaultProfile } from '../shared/settings';

export const CLASSIFY_COMMAND = 'fusionExecutions.classifyFailure';

/** Hovers on error type names, directives, setting keys and module ids. */
export class ScenarioHoverProvider implements vscode.HoverProvider {
  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    if (!isScenarioDocument(doc)) return undefined;
    const parsed = parsedDocument(doc);
    const symbol = symbolAt(parsed, doc.offsetAt(position));
    if (!symbol || !parsed.scenario) return undefined;
    const scenario = parsed.scenario;
    const profile = effectiveProfile(scenario, defaultProfile(doc.uri));
    const fromFile = scenario.settings.profile !== undefined;
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: [CLASSIFY_COMMAND] };
    md.supportHtml = false;
    const body = hoverMarkdown(doc.uri, scenario, symbol, profile, fromFile);
    if (!body) return undefined;
    md.appendMarkdown(body);
    return new vscode.Hover(md, new vscode.Range(doc.positionAt(symbol.span.start), doc.positionAt(symbol.span.end)));
  }
}

function hoverMarkdown(
  uri: vscode.Uri,
  scenario: Scenario,
  symbol: ScenarioSymbol,
  profile: Profile,
  fromFile: boolean,
): string | undefined {
  switch (symbol.kind) {
    case 'errorType':
      return errorTypeHover(scenario, symbol.name, symbol.span, profile, fromFile);
    case 'directive':
      return directiveHover(uri, scenario, symbol, profile, fromFile);
    case 'setting':
      return settingHover(scenario, symbol.key, profile, fromFile);
    case 'module':
      return moduleHover(uri, scenario, symbol.module, profile, fromFile);
  }
}

function safeClassify(scenario: Scenario, moduleId: number, errorType: string, profile: Profile): Classification | undefined {
  try {
    return classify(scenario, moduleId, errorType, profile);
  } catch {
    return undefined;
  }
}

function safeGroups(scenario: Scenario, moduleId: number, profile: Profile): OutcomeGroup[] {
  try {
    return outcomesByErrorType(scenario, moduleId, profile);
  } catch {
    return [];
  }
}

function sameSpan(a: Span | undefined, b: Span): boolean {
  return a !== undefined && a.start === b.start && a.end === b.end;
}

/** The module an error type name is about: the owner of the `errors:` filter, or the fault's module. */
function moduleForErrorName(scenario: Scenario, span: Span): ScenarioModule | undefined {
  for (const m of walkModules(scenario.modules)) {
    for (const route of m.onError) if (route.errorSpans.some((s) => sameSpan(s, span))) return m;
  }
  const fault = scenario.simulation?.faults.find((f) => sameSpan(f.errorSpan, span));
  if (fault) {
    for (const m of walkModules(scenario.modules)) if (m.id === fault.module) return m;
  }
  return undefined;
}

function moduleTitle(m: ScenarioModule): string {
  return m.name ? `${m.id} (\`${m.app}\`, ${m.name})` : `${m.id} (\`${m.app}\`)`;
}

function errorTypeHover(scenario: Scenario, name: string, span: Span, profile: Profile, fromFile: boolean): string {
  const info = lookupErrorType(name);
  const lines: string[] = [];
  if (info) {
    lines.push(`**${info.name}** — ${vscode.l10n.t('family')} \`${info.family}\``, '', info.meaning, '');
    if (info.causes.length > 0) {
      lines.push(`**${vscode.l10n.t('Causes')}**`, '', ...info.causes.map((c) => `- ${c}`), '');
    }
    lines.push(`**${vscode.l10n.t('What to do')}**: ${info.action}`, '');
    lines.push(
      `**${vscode.l10n.t('With no error handler (on a module after the trigger)')}**: ${outcomeLabel(info.unhandled[profile])}`,
      '',
    );
  } else {
    lines.push(
      `**${name}**`,
      '',
      vscode.l10n.t(
        "Not an error type of the catalogue (a custom app's?). With no error handler (on a module after the trigger): {0}.",
        outcomeLabel(UNKNOWN_TYPE_UNHANDLED[profile]),
      ),
      '',
    );
  }
  const module = moduleForErrorName(scenario, span);
  if (module) {
    const c = safeClassify(scenario, module.id, name, profile);
    if (c) {
      lines.push(
        `**${vscode.l10n.t('If module {0} fails with it', moduleTitle(module))}**: ${outcomeLabel(c.outcome, c.dependsOn, c.unknownDirective)}. ${c.reason}`,
        '',
      );
    }
  }
  lines.push(`_${profileLine(profile, fromFile)}_`);
  if (info) lines.push('', `[${vscode.l10n.t('Fusion documentation')}](${info.docsUrl})`);
  return lines.join('\n');
}

function directiveHover(
  uri: vscode.Uri,
  scenario: Scenario,
  symbol: Extract<ScenarioSymbol, { kind: 'directive' }>,
  profile: Profile,
  fromFile: boolean,
): string {
  const { directive, route, module } = symbol;
  if (route.unknownDirective !== undefined) {
    // Not the parser's placeholder (Ignore): the directive as written, and no claim about the run.
    const unknown: string[] = [
      `**${vscode.l10n.t('Directive')} \`${route.unknownDirective}\`**`,
      '',
      vscode.l10n.t(
        "Unknown: the directive '{0}' is not one Fusion knows, so what happens when this route catches an error is unknown.",
        route.unknownDirective,
      ),
      '',
    ];
    appendModuleOutcomes(unknown, uri, scenario, module, profile);
    unknown.push(`_${profileLine(profile, fromFile)}_`, '', `[${vscode.l10n.t('Fusion documentation')}](${DIRECTIVES_DOCS_URL})`);
    return unknown.join('\n');
  }
  const lines: string[] = [`**${vscode.l10n.t('Directive')} \`${directive}\`**`, '', directiveDescription(directive), ''];
  const catches = route.errors === null ? vscode.l10n.t('every error type') : route.errors.map((e) => `\`${e}\``).join(', ');
  lines.push(`${vscode.l10n.t('Error-handler route of module {0}; catches {1}.', moduleTitle(module), catches)}`, '');
  if (directive === 'break') {
    lines.push(
      route.autoComplete
        ? vscode.l10n.t(
            'Automatically complete execution: on — {0} attempt(s), every {1} minute(s).',
            route.attempts,
            route.intervalMinutes,
          )
        : vscode.l10n.t('Automatically complete execution: off — the stored run waits for you.'),
      '',
    );
  }
  if (!scenario.settings.storeIncompleteExecutions && directive === 'break') {
    lines.push(`$(warning) ${vscode.l10n.t('Storing incomplete executions is off in this scenario, so Break cannot store anything.')}`, '');
  }
  appendModuleOutcomes(lines, uri, scenario, module, profile);
  lines.push(`_${profileLine(profile, fromFile)}_`, '', `[${vscode.l10n.t('Fusion documentation')}](${DIRECTIVES_DOCS_URL})`);
  return lines.join('\n');
}

function settingHover(
  scenario: Scenario,
  key: Extract<ScenarioSymbol, { kind: 'setting' }>['key'],
  profile: Profile,
  fromFile: boolean,
): string {
  const value = scenario.settings[key];
  const lines = [
    `**${key}**: \`${String(value ?? profile)}\``,
    '',
    settingDescription(key),
    '',
    `_${profileLine(profile, fromFile)}_`,
    '',
    `[${vscode.l10n.t('Fusion documentation')}](${SETTINGS_DOCS_URL})`,
  ];
  return lines.join('\n');
}

function appendModuleOutcomes(lines: string[], uri: vscode.Uri, scenario: Scenario, module: ScenarioModule, profile: Profile): void {
  const groups = safeGroups(scenario, module.id, profile);
  if (groups.length > 0) {
    lines.push(`**${vscode.l10n.t('When module {0} fails', moduleTitle(module))}**`, '', groupsMarkdown(groups), '');
  }
  if (storageDefaultNote(scenario) !== '') {
    lines.push(
      vscode.l10n.t(
        'The export has no `metadata.scenario.dlq`: Make\'s default for "Allow storing of incomplete executions", off, is assumed.',
      ),
      '',
    );
  }
  const args = encodeURIComponent(JSON.stringify([uri.toString(), module.id]));
  lines.push(`[${vscode.l10n.t('Classify a failure here…')}](command:${CLASSIFY_COMMAND}?${args})`, '');
}

function moduleHover(uri: vscode.Uri, scenario: Scenario, module: ScenarioModule, profile: Profile, fromFile: boolean): string {
  const lines: string[] = [`**${vscode.l10n.t('Module')} ${module.id}** — \`${module.app}\``];
  if (module.name) lines.push('', module.name);
  lines.push('');
  if (scenario.modules[0]?.id === module.id) {
    lines.push(vscode.l10n.t('The trigger (first module) of the scenario.'), '');
  }
  if (module.handlerOf !== undefined) {
    lines.push(vscode.l10n.t('Runs inside the error-handler route of module {0}.', module.handlerOf), '');
  }
  if (module.isRouter) {
    lines.push(vscode.l10n.t('A router: it has no action of its own; its error-handler routes cover the modules below it.'), '');
  } else if (module.handlerOf === undefined) {
    // Which catalogue types an error-handler route catches here (the classifier's handler lookup decides).
    const handled = new Map<string, string[]>();
    const depends: string[] = [];
    const unknown: string[] = [];
    let unknownDirective: string | undefined;
    let dependsOn: Classification['dependsOn'];
    for (const t of ERROR_TYPES) {
      const c = safeClassify(scenario, module.id, t.name, profile);
      if (c?.outcome === 'unknown') {
        unknown.push(t.name);
        unknownDirective ??= c.unknownDirective;
      } else if (c?.outcome === 'depends') {
        depends.push(t.name);
        if (dependsOn !== 'message') dependsOn = c.dependsOn;
      } else if (c?.handler) handled.set(c.handler, [...(handled.get(c.handler) ?? []), t.name]);
    }
    if (depends.length > 0) {
      // A filter on the route (the message, the run's data) decides: no certainty to show.
      const which = depends.length === ERROR_TYPES.length ? vscode.l10n.t('every error type') : depends.map((t) => `\`${t}\``).join(', ');
      lines.push(
        dependsOn === 'message'
          ? vscode.l10n.t(
              'Whether an error-handler route applies to {0}, and which directive it ends in, depends on the error message.',
              which,
            )
          : vscode.l10n.t(
              "Whether an error-handler route applies to {0}, and which directive it ends in, depends on the run's data (decided when the scenario runs).",
              which,
            ),
        '',
      );
    }
    if (unknown.length > 0) {
      // The route that applies ends with a directive Fusion does not know: no claim about the run.
      const which = unknown.length === ERROR_TYPES.length ? vscode.l10n.t('every error type') : unknown.map((t) => `\`${t}\``).join(', ');
      lines.push(
        vscode.l10n.t(
          "An error-handler route applies to {0}, but its directive '{1}' is not one Fusion knows: what happens is unknown.",
          which,
          unknownDirective ?? '?',
        ),
        '',
      );
    }
    if (handled.size === 0 && depends.length === 0 && unknown.length === 0) {
      lines.push(vscode.l10n.t('No error-handler route applies: the default rules decide.'), '');
    } else {
      for (const [directive, types] of handled) {
        const which = types.length === ERROR_TYPES.length ? vscode.l10n.t('every error type') : types.map((t) => `\`${t}\``).join(', ');
        lines.push(vscode.l10n.t('An error-handler route applies (`{0}`) to {1}.', directive, which), '');
      }
    }
    appendModuleOutcomes(lines, uri, scenario, module, profile);
  }
  lines.push(`_${profileLine(profile, fromFile)}_`);
  return lines.join('\n');
}
