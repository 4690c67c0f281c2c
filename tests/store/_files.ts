/**
 * File-system fixtures for the store's tests: temporary folders that remove
 * themselves, files and folders made unwritable (for root too, who ignores the
 * mode bits: then with `chattr +i`), and a small tmpfs to fill up.
 *
 * @module
 */

/** A temporary folder, removed by `await using`. */
export interface TempDir extends AsyncDisposable {
  path: string;
}

/**
 * Makes a temporary folder.
 *
 * @returns The fixture.
 */
export async function tempDir(): Promise<TempDir> {
  const path = await Deno.makeTempDir({ prefix: "chat-store-" });
  return {
    path,
    [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }).catch(() => {}),
  };
}

async function run(command: string, ...args: string[]): Promise<boolean> {
  try {
    const { success } = await new Deno.Command(command, { args, stdout: "null", stderr: "null" })
      .output();
    return success;
  } catch {
    return false;
  }
}

/** Whether the tests run as root (mode bits do not stop root). Asked of `id`: `Deno.uid()` needs `--allow-sys`. */
export const IS_ROOT: boolean = await (async () => {
  try {
    const { stdout } = await new Deno.Command("id", { args: ["-u"], stderr: "null" }).output();
    return new TextDecoder().decode(stdout).trim() === "0";
  } catch {
    return false;
  }
})();

/** Undoes what a fixture did, by `await using`. */
export interface Undo extends AsyncDisposable {
  /** Undoes it now (idempotent). */
  undo(): Promise<void>;
}

/**
 * Makes a file or a folder unwritable: `chmod a-w` (and `chattr +i` for root).
 *
 * @param path The file or folder.
 * @returns Its undoing.
 * @throws {Error} When root cannot set the immutable attribute (no `chattr`, or a
 *   file system without it).
 */
export async function makeUnwritable(path: string): Promise<Undo> {
  const mode = (await Deno.stat(path)).mode! & 0o7777;
  await Deno.chmod(path, mode & ~0o222);
  if (IS_ROOT && !await run("chattr", "+i", path)) {
    await Deno.chmod(path, mode);
    throw new Error(`Cannot make ${path} unwritable for root: chattr +i failed`);
  }
  let undone = false;
  const undo = async () => {
    if (undone) return;
    undone = true;
    if (IS_ROOT) await run("chattr", "-i", path);
    await Deno.chmod(path, mode);
  };
  return { undo, [Symbol.asyncDispose]: undo };
}

/** A mounted tmpfs of a given size, unmounted by `await using`. */
export interface SmallDisk extends AsyncDisposable {
  path: string;
}

/**
 * Mounts a small tmpfs (root only).
 *
 * @param bytes Its size.
 * @returns The fixture, or `undefined` when it cannot be mounted.
 */
export async function smallDisk(bytes: number): Promise<SmallDisk | undefined> {
  if (!IS_ROOT) return undefined;
  const path = await Deno.makeTempDir({ prefix: "chat-disk-" });
  if (!await run("mount", "-t", "tmpfs", "-o", `size=${bytes}`, "tmpfs", path)) {
    await Deno.remove(path);
    return undefined;
  }
  return {
    path,
    [Symbol.asyncDispose]: async () => {
      await run("umount", "-l", path);
      await Deno.remove(path, { recursive: true }).catch(() => {});
    },
  };
}

/**
 * Fills a disk until a write fails.
 *
 * @param dir A folder on the disk.
 * @returns The filler file (remove it to free the space).
 */
export async function fillDisk(dir: string): Promise<string> {
  const path = `${dir}/filler`;
  const chunk = new Uint8Array(16 * 1024);
  using file = await Deno.open(path, { write: true, create: true });
  try {
    while (true) await file.write(chunk);
  } catch {
    // Full.
  }
  // The last blocks too, a byte at a time.
  try {
    while (true) await file.write(chunk.subarray(0, 1));
  } catch {
    // Full.
  }
  return path;
}

/**
 * A file's bytes, to compare before and after.
 *
 * @param path The file.
 * @returns Its SHA-256 in hex.
 */
export async function digest(path: string): Promise<string> {
  const bytes = await Deno.readFile(path);
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(hash, (b) => b.toString(16).padStart(2, "0")).join("");
}
