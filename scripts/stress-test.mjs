// `node scripts/stress-test.mjs [command...]`: runs a command (default `npx vitest run`) with two
// CPU-burning processes beside it, to check that tests wait on conditions rather than on deadlines a
// busy machine can blow. The burners are stopped when the command ends (or on Ctrl-C), and the exit
// code is the command's. For developers, not CI.
import { spawn } from 'node:child_process';

const BURNERS = Number(process.env.OVERSEER_STRESS_BURNERS ?? 2);
const BURN = 'for (;;) { Math.sqrt(Math.random()); }';

const args = process.argv.slice(2);
const [command, ...commandArgs] = args.length > 0 ? args : ['npx', 'vitest', 'run'];

const burners = [];
for (let i = 0; i < BURNERS; i += 1) {
  burners.push(spawn(process.execPath, ['-e', BURN], { stdio: 'ignore' }));
}
console.log(
  `stress-test: ${burners.length} CPU burner(s) running (pids ${burners.map((b) => b.pid).join(', ')}); running: ${[command, ...commandArgs].join(' ')}`,
);

function stopBurners() {
  for (const burner of burners) {
    if (burner.exitCode === null && burner.signalCode === null) burner.kill('SIGKILL');
  }
}

const child = spawn(command, commandArgs, { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    child.kill(signal);
  });
}
child.on('error', (error) => {
  stopBurners();
  console.error(`stress-test: could not run ${command}: ${error.message}`);
  process.exit(127);
});
child.on('exit', (code, signal) => {
  stopBurners();
  console.log(
    `stress-test: ${command} ended (${signal !== null ? `signal ${signal}` : `exit ${code}`}); burners stopped`,
  );
  process.exit(code ?? 1);
});
