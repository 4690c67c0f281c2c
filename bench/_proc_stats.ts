/**
 * CPU time and memory of a process, read from Linux `/proc`. Values cover all threads of the
 * process (`/proc/PID/stat` sums them), so V8's helper threads count too.
 *
 * Deno asks for `--allow-all` to read anything under `/proc`, so the files are read by a
 * `cat` child instead (a few milliseconds, outside the measured processes).
 *
 * @module
 */

/**
 * Reads a file under `/proc` through `cat`.
 *
 * @param path For instance `/proc/cpuinfo`.
 * @returns Its text, or `null` when it cannot be read.
 */
export async function readProcText(path: string): Promise<string | null> {
  try {
    const output = await new Deno.Command("cat", {
      args: [path],
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).output();
    return output.success ? new TextDecoder().decode(output.stdout) : null;
  } catch {
    return null;
  }
}

function readProcFile(pid: number, name: string): Promise<string | null> {
  return readProcText(`/proc/${pid}/${name}`);
}

/** Kernel clock ticks per second (`getconf CLK_TCK`; 100 on every mainstream Linux). */
export const CLOCK_TICKS_PER_SECOND = 100;

/**
 * User + system CPU time of a process.
 *
 * @param pid Process id.
 * @returns Seconds, or `null` when the process is gone or `/proc` is missing.
 */
export async function readCpuSeconds(pid: number): Promise<number | null> {
  const text = await readProcFile(pid, "stat");
  if (text === null) return null;
  // The command name (field 2) may hold spaces: fields after it start behind the last ")".
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  // Fields 14 and 15 of the whole line (utime, stime) are 12 and 13 after the name.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return null;
  return (utime + stime) / CLOCK_TICKS_PER_SECOND;
}

/** Resident memory of a process, in bytes. */
export interface MemoryUsage {
  /** Current resident set size (VmRSS). */
  rssBytes: number;
  /** Peak resident set size since the process started (VmHWM). */
  peakRssBytes: number;
}

/**
 * Current and peak resident memory of a process.
 *
 * @param pid Process id.
 * @returns The sizes, or `null` when the process is gone.
 */
export async function readMemory(pid: number): Promise<MemoryUsage | null> {
  const text = await readProcFile(pid, "status");
  if (text === null) return null;
  const kib = (name: string): number => {
    const match = text.match(new RegExp(`^${name}:\\s+(\\d+) kB`, "m"));
    return match ? Number(match[1]) * 1024 : 0;
  };
  return { rssBytes: kib("VmRSS"), peakRssBytes: kib("VmHWM") };
}

/**
 * The command line of a process, to check that a pid is the server and not a wrapper.
 *
 * @returns The arguments, or an empty array when the process is gone.
 */
export async function readCommandLine(pid: number): Promise<string[]> {
  const text = await readProcFile(pid, "cmdline");
  return text === null ? [] : text.split("\0").filter((s) => s !== "");
}

/** Clock ticks of the whole machine since boot, from the `cpu` line of `/proc/stat`. */
export interface MachineTicks {
  /** Ticks not idle (user, system, interrupts, softirq, steal, ...). */
  busy: number;
  /** All ticks, idle and iowait included. */
  total: number;
}

/**
 * Busy and total CPU ticks of the machine, all cores together. Unlike a process's own times,
 * this also counts network work the kernel does outside any process (`ksoftirqd`).
 *
 * @returns The ticks, or `null` without `/proc`.
 */
export async function readMachineTicks(): Promise<MachineTicks | null> {
  const text = await readProcText("/proc/stat");
  const line = text?.split("\n").find((l) => l.startsWith("cpu "));
  if (line === undefined) return null;
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal guest guest_nice; guests are in user.
  const total = ticks.slice(0, 8).reduce((sum, t) => sum + t, 0);
  const idle = ticks[3] + ticks[4];
  return { busy: total - idle, total };
}
