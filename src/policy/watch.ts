import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { Guard } from '../core/guard.ts';
import { compileGuard } from './engine.ts';
import { formatPolicyError, loadPolicyFiles, type LoadedPolicy, type PolicyError } from './load.ts';

/**
 * The live policy set: loads policy files, compiles them into a Guard and swaps it atomically when
 * the files change. A bad edit never replaces a working policy: the last good Guard stays in
 * force and the errors are reported through `onReload`.
 */

export interface ReloadEvent {
  /** True when the new policies are in force (or nothing changed). */
  readonly ok: boolean;
  readonly errors: readonly PolicyError[];
  /** Version in force after this reload; increments on every applied change. */
  readonly version: number;
  readonly digest: string;
}

export interface PolicyStoreOptions {
  /** Called after every reload attempt that changed the policies or failed. */
  readonly onReload?: ((event: ReloadEvent) => void) | undefined;
  /** Quiet period after the last file event before reloading; editors write in bursts. Default 100 ms. */
  readonly debounceMs?: number | undefined;
  /** Watch the files for changes. Default true. */
  readonly watch?: boolean | undefined;
  /** Builds the Guard; default `compileGuard`. */
  readonly compile?: ((policies: readonly LoadedPolicy[]) => Guard) | undefined;
}

/** The initial load failed: the gateway must not start on a policy it cannot read. */
export class PolicyLoadError extends Error {
  readonly errors: readonly PolicyError[];
  constructor(errors: readonly PolicyError[]) {
    super(`policy errors:\n${errors.map(formatPolicyError).join('\n')}`);
    this.name = 'PolicyLoadError';
    this.errors = errors;
  }
}

interface Snapshot {
  readonly guard: Guard;
  readonly policies: readonly LoadedPolicy[];
  readonly digest: string;
  readonly version: number;
}

export class PolicyStore {
  readonly paths: readonly string[];
  #snapshot: Snapshot;
  readonly #options: PolicyStoreOptions;
  readonly #compile: (policies: readonly LoadedPolicy[]) => Guard;
  readonly #watchers: FSWatcher[] = [];
  #timer: NodeJS.Timeout | undefined;
  #reloading: Promise<ReloadEvent> | undefined;
  #again = false;
  #closed = false;

  private constructor(paths: readonly string[], snapshot: Snapshot, options: PolicyStoreOptions) {
    this.paths = paths;
    this.#snapshot = snapshot;
    this.#options = options;
    this.#compile = options.compile ?? ((p) => compileGuard(p));
  }

  /**
   * Load and compile `paths` (files or directories). With no paths the built-in default policy
   * applies. Throws PolicyLoadError listing every error when the first load fails.
   */
  static async open(paths: readonly string[], options: PolicyStoreOptions = {}): Promise<PolicyStore> {
    const compile = options.compile ?? ((p: readonly LoadedPolicy[]) => compileGuard(p));
    const result =
      paths.length === 0 ? { policies: [], errors: [], digest: '' } : await loadPolicyFiles(paths);
    if (result.errors.length > 0) throw new PolicyLoadError(result.errors);
    const guard = compileOrErrors(compile, result.policies);
    if (!('begin' in guard)) throw new PolicyLoadError(guard);
    const store = new PolicyStore(
      paths,
      { guard, policies: result.policies, digest: result.digest, version: 1 },
      options,
    );
    if (options.watch !== false) await store.#watch();
    return store;
  }

  /** The Guard in force. Take it once per request so one request sees one policy version. */
  current(): Guard {
    return this.#snapshot.guard;
  }

  get version(): number {
    return this.#snapshot.version;
  }

  /** sha256 of the policy text in force (empty with no policy files); approvals bind to it. */
  get digest(): string {
    return this.#snapshot.digest;
  }

  get policies(): readonly LoadedPolicy[] {
    return this.#snapshot.policies;
  }

  /** Reload now (file events call this after the debounce; also for SIGHUP). */
  reload(): Promise<ReloadEvent> {
    if (this.#reloading) {
      this.#again = true;
      return this.#reloading;
    }
    this.#reloading = this.#reloadOnce().finally(() => {
      this.#reloading = undefined;
      if (this.#again && !this.#closed) {
        this.#again = false;
        void this.reload();
      }
    });
    return this.#reloading;
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    for (const w of this.#watchers) w.close();
    this.#watchers.length = 0;
  }

  async #reloadOnce(): Promise<ReloadEvent> {
    const before = this.#snapshot;
    const result = await loadPolicyFiles(this.paths);
    let event: ReloadEvent;
    if (result.errors.length > 0) {
      event = { ok: false, errors: result.errors, version: before.version, digest: before.digest };
    } else if (result.digest === before.digest) {
      return { ok: true, errors: [], version: before.version, digest: before.digest };
    } else {
      const guard = compileOrErrors(this.#compile, result.policies);
      if ('begin' in guard) {
        const version = before.version + 1;
        this.#snapshot = { guard, policies: result.policies, digest: result.digest, version };
        event = { ok: true, errors: [], version, digest: result.digest };
      } else {
        event = { ok: false, errors: guard, version: before.version, digest: before.digest };
      }
    }
    if (!this.#closed) this.#options.onReload?.(event);
    return event;
  }

  #schedule(): void {
    if (this.#closed) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.reload(), this.#options.debounceMs ?? 100);
    this.#timer.unref();
  }

  async #watch(): Promise<void> {
    for (const path of this.paths) {
      let isDirectory: boolean;
      try {
        isDirectory = (await stat(path)).isDirectory();
      } catch {
        // Gone since the load: treat it as a file, so its reappearance in the directory reloads.
        isDirectory = false;
      }
      // A file is watched through its directory: editors and ConfigMap updates replace files by
      // rename, which a watch on the file itself would not survive.
      const directory = isDirectory ? path : dirname(path);
      const name = basename(path);
      let watcher: FSWatcher;
      try {
        watcher = watch(directory, { persistent: false }, (_event, changed) => {
          if (isDirectory || changed === null || changed === name || changed.startsWith('..'))
            this.#schedule();
        });
      } catch {
        // The directory itself vanished after the load; SIGHUP (`reload()`) still works.
        continue;
      }
      // A vanished directory surfaces as a failed reload (last good policy kept), not a crash.
      watcher.on('error', () => {
        this.#schedule();
      });
      this.#watchers.push(watcher);
    }
  }
}

function compileOrErrors(
  compile: (policies: readonly LoadedPolicy[]) => Guard,
  policies: readonly LoadedPolicy[],
): Guard | PolicyError[] {
  try {
    return compile(policies);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const first = policies[0];
    return [
      {
        file: first?.file ?? '<policies>',
        line: 0,
        column: 0,
        path: '',
        message: `policies could not be compiled: ${message}`,
        code: 'compile_error',
      },
    ];
  }
}
