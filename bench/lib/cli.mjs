/** Command-line options of run.mjs. */

const USAGE = `usage: node bench/run.mjs [--quick] [--scenario <name>[,<name>...]] [--runs N] [--only <lib>[,<lib>...]]

  --quick              short runs and small counts (CI: checks that the bench runs)
  --scenario <names>   run only these scenarios (echo, fanout, large, connections, codec, compressed, servers)
  --runs N             measured runs per case (default 5, --quick 3; servers: windows per round, at most 3)
  --case <text>        servers: only the cases whose label contains this text (e.g. '16 KiB')
  --rounds N           servers (and bench/bun.mjs): rounds over every library (default 3, --quick 1)
  --only <libs>        run only these libraries (ws, ws-nobu, sansock, faye, websocket, net, uws);
                       the baseline ws is always kept so ratios can be computed`;

export function parseArgs(argv) {
  const options = { quick: false, scenarios: undefined, runs: undefined, only: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value\n\n${USAGE}`);
      return next;
    };
    if (arg === '--quick') options.quick = true;
    else if (arg === '--scenario') options.scenarios = value().split(',');
    else if (arg === '--runs') {
      const runs = Number(value());
      if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer\n\n${USAGE}`);
      options.runs = runs;
    } else if (arg === '--rounds') {
      // bench/bun.mjs and scenario 7 (servers): how many times every server is measured, in turn.
      const rounds = Number(value());
      if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a positive integer\n\n${USAGE}`);
      options.rounds = rounds;
    } else if (arg === '--case') options.caseFilter = value();
    else if (arg === '--only') options.only = value().split(',');
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}\n\n${USAGE}`);
  }
  options.runs ??= options.quick ? 3 : 5;
  return options;
}
