/** What every command gets besides its options: a way to set the exit code. */
export interface CliContext {
  setExitCode(code: number): void;
}
