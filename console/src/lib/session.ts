import type { Session } from '../api/types';

/** The part of the Web Storage API the session keeper needs. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface StoredSession {
  accessToken: string;
  expiresAt: string;
  username: string;
  scopes: string[];
}

const KEY = 'vreg.session';

/**
 * Keeps the session (never the personal token it was made from) in the tab's session storage, so a reload stays
 * signed in while closing the tab forgets it. A session past its expiry is treated as absent.
 */
export class SessionKeeper {
  private current: StoredSession | null;

  constructor(private readonly store: KeyValueStore, private readonly now: () => number = Date.now) {
    this.current = SessionKeeper.read(store);
  }

  private static read(store: KeyValueStore): StoredSession | null {
    const text = store.getItem(KEY);
    if (!text) {
      return null;
    }
    try {
      const value = JSON.parse(text) as StoredSession;
      return typeof value.accessToken === 'string' && typeof value.expiresAt === 'string' ? value : null;
    } catch {
      return null;
    }
  }

  /** The session to send, or null when there is none or it has expired. */
  get(): StoredSession | null {
    if (this.current && Date.parse(this.current.expiresAt) <= this.now()) {
      this.clear();
    }
    return this.current;
  }

  token(): string | null {
    return this.get()?.accessToken ?? null;
  }

  keep(session: Session, username: string): StoredSession {
    this.current = {
      accessToken: session.accessToken,
      expiresAt: session.expiresAt,
      username: session.username ?? username,
      scopes: session.scopes,
    };
    this.store.setItem(KEY, JSON.stringify(this.current));
    return this.current;
  }

  clear(): void {
    this.current = null;
    this.store.removeItem(KEY);
  }

  /** Milliseconds until the session should be renewed: at four fifths of what is left, never below a second. */
  renewIn(): number | null {
    const session = this.get();
    if (!session) {
      return null;
    }
    const left = Date.parse(session.expiresAt) - this.now();
    return Math.max(1000, Math.floor(left * 0.8));
  }
}
