import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Called once per burst of changes (a microtask later), with the names of the fields that changed. */
export type Listener<S> = (state: Readonly<S>, changed: ReadonlySet<keyof S>) => void;

/**
 * The page's state in one place: a plain object replaced, never mutated, on each change. Panels read
 * it through their properties and never hold a copy of their own; actions change it with `set`.
 * Listeners hear of a burst of `set` calls once, as Lit's `updated` did, so an action that changes
 * five fields starts one analysis, not five.
 */
export class Store<S extends object> {
  private current: S;
  private readonly listeners = new Set<Listener<S>>();
  private readonly hosts = new Set<() => void>();
  private pending = new Set<keyof S>();

  constructor(initial: S) {
    this.current = initial;
  }

  get state(): Readonly<S> {
    return this.current;
  }

  /** Changes the fields given; fields equal (===) to their current value are not a change. */
  set(patch: Partial<S>): void {
    const changed = (Object.keys(patch) as (keyof S)[]).filter((k) => patch[k] !== this.current[k]);
    if (!changed.length) return;
    this.current = { ...this.current, ...patch };
    for (const render of this.hosts) render();
    const first = this.pending.size === 0;
    for (const k of changed) this.pending.add(k);
    if (first) queueMicrotask(() => this.flush());
  }

  /** Hears each burst of changes; returns the unsubscribe. */
  subscribe(listener: Listener<S>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A component that re-renders on every change (Lit batches those renders itself). */
  attach(requestUpdate: () => void): () => void {
    this.hosts.add(requestUpdate);
    return () => this.hosts.delete(requestUpdate);
  }

  private flush(): void {
    const changed = this.pending;
    this.pending = new Set();
    for (const l of this.listeners) l(this.current, changed);
  }
}

/** Re-renders a Lit host whenever the store changes, while the host is connected. */
export class StoreController<S extends object> implements ReactiveController {
  private detach: (() => void) | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    readonly store: Store<S>,
  ) {
    host.addController(this);
  }

  get state(): Readonly<S> {
    return this.store.state;
  }

  hostConnected(): void {
    this.detach = this.store.attach(() => this.host.requestUpdate());
  }

  hostDisconnected(): void {
    this.detach?.();
    this.detach = null;
  }
}
