/**
 * How an operator command ends: one exit code, and a failure printed once as its
 * message and its cause's (the store's or the network's own words).
 */

/** A failure as one line: its message, then its cause's. */
export const failureText = (err: unknown): string =>
  err instanceof Error ? `${err.message}${err.cause instanceof Error ? `: ${err.cause.message}` : ''}` : String(err);

/** Runs `main` and exits with what it resolves to (0 when nothing), or prints the failure and exits with `exitCodeOf(err)` (2 unless told). */
export function runCommand(main: () => Promise<number | void>, exitCodeOf: (err: unknown) => number = () => 2): void {
  main().then(
    (code) => process.exit(code ?? 0),
    (err: unknown) => {
      console.error(failureText(err));
      process.exit(exitCodeOf(err));
    },
  );
}
