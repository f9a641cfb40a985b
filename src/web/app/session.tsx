import { createContext, type ReactNode, useContext, useMemo } from 'react';
import type { Me } from '../../shared/auth/auth.schemas.ts';
import { type Permission, roleCan } from '../../shared/permissions.ts';

interface Session {
  me: Me;
  /** What the user's role may do (the server checks again, per office). */
  can: (permission: Permission) => boolean;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ me, children }: { me: Me; children: ReactNode }) {
  const value = useMemo<Session>(() => ({ me, can: (p) => roleCan(me.role, p) }), [me]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The signed-in user; only inside the authenticated part of the app. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
