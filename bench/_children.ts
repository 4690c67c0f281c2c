/**
 * Every child process the benchmark starts, so that all of them are stopped on any exit path:
 * normal end, error, Ctrl-C or SIGTERM.
 *
 * @module
 */

const running = new Set<Deno.ChildProcess>();

/**
 * Starts a command and registers the child until it exits.
 *
 * @param command The program.
 * @param options As for `Deno.Command`.
 * @returns The running child.
 */
export function spawnTracked(command: string, options: Deno.CommandOptions): Deno.ChildProcess {
  const child = new Deno.Command(command, options).spawn();
  running.add(child);
  child.status.finally(() => running.delete(child));
  return child;
}

/**
 * Stops a child: SIGTERM, then SIGKILL if it has not exited after `graceMs`.
 *
 * @returns Once it has exited.
 */
export async function stopChild(child: Deno.ChildProcess, graceMs = 3_000): Promise<void> {
  const sendSignal = (signal: Deno.Signal) => {
    try {
      child.kill(signal);
    } catch {
      // Already exited.
    }
  };
  sendSignal("SIGTERM");
  let timer: ReturnType<typeof setTimeout> | undefined;
  const killed = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      sendSignal("SIGKILL");
      resolve();
    }, graceMs);
  });
  await Promise.race([child.status.then(() => {}), killed]);
  clearTimeout(timer);
  await child.status;
}

/** Kills every child still running at once (SIGKILL); for the exit paths. */
export function killAllChildren(): void {
  for (const child of running) {
    try {
      child.kill("SIGKILL");
    } catch {
      // Already exited.
    }
  }
}
