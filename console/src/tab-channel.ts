import type { Session } from './session';

/** What the console's tabs tell each other. Same-origin only: a BroadcastChannel never leaves the browser. */
export type TabMessage = { type: 'ask' } | { type: 'session'; session: Session | null; reason?: string };

const NAME = 'keygate.console.session';

/**
 * The tabs of one browser share one sign-in by talking, not through storage that outlives them
 * (localStorage would keep tokens on disk after the browser closes). Where BroadcastChannel is
 * missing, each tab simply keeps its own sign-in, as before.
 */
export class TabChannel {
  private readonly channel: BroadcastChannel | null = typeof BroadcastChannel === 'function' ? new BroadcastChannel(NAME) : null;

  constructor(onMessage: (message: TabMessage) => void) {
    if (this.channel) this.channel.onmessage = (event: MessageEvent<TabMessage>) => onMessage(event.data);
  }

  get available(): boolean {
    return this.channel !== null;
  }

  post(message: TabMessage): void {
    this.channel?.postMessage(message);
  }
}

/**
 * Runs `task` while holding a lock every tab of this origin respects, so that two tabs never spend the
 * same single-use refresh token. Web Locks exist in secure contexts only; elsewhere the task runs alone.
 */
export function withTabLock<T>(name: string, task: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  return locks ? (locks.request(name, task) as Promise<T>) : task();
}
