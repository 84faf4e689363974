import { reactive } from 'vue';
import { ApiClient, ApiError } from './api/client';
import { VregApi } from './api/vreg';
import { SessionKeeper } from './lib/session';

/** The console's one session and API client, shared by every page. */
export const sessions = new SessionKeeper(window.sessionStorage);

export const auth = reactive({
  username: sessions.get()?.username ?? null as string | null,
  expired: false,
  /** How the last sign-out went: ended on the server, or only forgotten here because vreg could not be told. */
  signedOut: null as null | 'ended' | 'forgotten',
});

let renewTimer: number | undefined;

export const api = new VregApi(new ApiClient({
  credential: () => sessions.token(),
  onUnauthorized: () => {
    if (auth.username) {
      auth.expired = true;
    }
    forget();
  },
}));

function forget(): void {
  window.clearTimeout(renewTimer);
  sessions.clear();
  auth.username = null;
}

function scheduleRenewal(): void {
  window.clearTimeout(renewTimer);
  const delay = sessions.renewIn();
  if (delay !== null) {
    renewTimer = window.setTimeout(async () => {
      try {
        const session = await api.renewSession();
        sessions.keep(session, auth.username ?? '');
        scheduleRenewal();
      } catch {
        // A session that cannot be renewed ends at its expiry; the next call then asks to sign in again.
      }
    }, Math.min(delay, 2_000_000_000));
  }
}

/** Exchanges the personal token for a session; the token itself is dropped as soon as this returns. */
export async function signIn(personalToken: string): Promise<void> {
  const session = await api.createSession(personalToken.trim());
  sessions.keep(session, session.username ?? '');
  auth.username = session.username ?? (await api.currentUser()).username;
  sessions.keep(session, auth.username);
  auth.expired = false;
  auth.signedOut = null;
  scheduleRenewal();
}

/**
 * Ends the session on the server (on every node, with the sessions renewed from it) and forgets it in this tab. When
 * vreg cannot be told, the tab forgets it all the same and says so: the session then lasts until it expires.
 */
export async function signOut(): Promise<void> {
  let ended = true;
  if (sessions.token()) {
    try {
      await api.endSession();
    } catch (e) {
      // A session that is already over (401) needs no ending.
      ended = e instanceof ApiError && e.status === 401;
    }
  }
  forget();
  auth.expired = false;
  auth.signedOut = ended ? 'ended' : 'forgotten';
}

scheduleRenewal();
