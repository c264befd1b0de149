// Whether the CLI talks to a person: stdin and stdout both a terminal (then it may ask questions).
// Its own module, so the commands that ask it load nothing else with it.

export function hasTerminal(): boolean {
  return process.stdin.isTTY === true && process.stdout.isTTY === true;
}
