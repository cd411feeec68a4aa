/**
 * commander, loaded as the CommonJS module it is. Imported through its ESM wrapper, Node lexes its
 * source for named exports at every start (~7 ms of a 10-row clean, measured with hyperfine).
 */
import { createRequire } from 'node:module';

const commander = createRequire(import.meta.url)('commander') as typeof import('commander');

export const Command = commander.Command;
export type Command = import('commander').Command;
export const CommanderError = commander.CommanderError;
export type CommanderError = import('commander').CommanderError;
export const Option = commander.Option;
export type Option = import('commander').Option;
