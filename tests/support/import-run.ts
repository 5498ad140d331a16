/** Runs the import command in-process and captures what it prints. */
import { importCommand, type CommandIo } from '../../scripts/support/import-command.js';

/** What one run printed and its exit status. */
export interface ImportRun {
  status: number;
  stdout: string[];
  stderr: string[];
  /** The summary line (the last line on stdout). */
  summary: string;
}

/** `npm run import -- …args` against a test Warta; retries are paced at 5 ms. */
export async function runImportCommand(args: string[], io: Partial<CommandIo> = {}): Promise<ImportRun> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const status = await importCommand(args, { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l), env: {}, isTTY: false, retryBaseMs: 5, ...io });
  return { status, stdout, stderr, summary: stdout[stdout.length - 1] ?? '' };
}
