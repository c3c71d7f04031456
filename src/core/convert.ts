// CONTRACT STUB — owned by the "blueprint" helper.
export function blueprintToYaml(text: string, fileName: string): string {
  void text; void fileName;
  throw new Error('not implemented');
}
export function yamlToBlueprint(text: string, fileName: string): string {
  void text; void fileName;
  throw new Error('not implemented');
}
