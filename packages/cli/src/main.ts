/**
 * The `sansock` command: `connect` (a client) and `listen` (a server), for people at a terminal
 * and, with --json, for scripts. Exit codes are in exit-codes.ts.
 */
import { UsageError, parseCommandLine } from './args.js';
import { connect } from './connect.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { listen } from './listen.js';
import { createPrinter } from './printer.js';
import { USAGE } from './usage.js';

/** Exits once everything printed has reached stdout (a pipe may still hold some). */
function finish(code: ExitCode): void {
  process.exitCode = code;
  process.stdout.write('', () => process.exit(code));
}

function main(argv: string[]): void {
  let args: ReturnType<typeof parseCommandLine>;
  try {
    args = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`sansock: ${error.message}\n\n${USAGE}`);
    process.exit(EXIT.USAGE);
  }
  if (args.command === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  const printer = createPrinter(args.json, process.stdout, process.stderr);
  // A reader that went away (`sansock ... | head -1`) is not an error worth a stack trace.
  process.stdout.on('error', () => process.exit(EXIT.OK));
  try {
    if (args.command === 'connect') connect(args, printer, finish);
    else listen(args, printer, finish);
  } catch (error) {
    // The WebSocket constructor rejects a bad URL, subprotocol or option at once: a usage error.
    if (error instanceof SyntaxError || error instanceof TypeError || error instanceof RangeError) {
      process.stderr.write(`sansock: ${error.message}\n`);
      process.exit(EXIT.USAGE);
    }
    throw error;
  }
}

main(process.argv.slice(2));
