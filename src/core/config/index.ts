/**
 * Project configuration (`.fusionlintrc.json`): parse it with positions, find it for a file, apply
 * it to a file's findings. Pure: the file system is passed in where one is needed.
 */
export * from './types';
export { DEFAULT_EXEMPT_APPS } from './defaults';
export { matchesAppPattern, matchesFileGlob, matchesIgnorePattern } from './glob';
export { parseProjectConfig, isConfigurableCode } from './parse';
export type { ParsedConfig } from './parse';
export { applyProjectConfig, configForFile, configRelativePath, isIgnoredByConfig } from './apply';
export type { ApplyOptions, FileConfig } from './apply';
export { findConfigFile, findConfigFileAsync } from './lookup';
export type { AsyncConfigLookupHost, ConfigLookupHost } from './lookup';
