import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { useOfficeList } from '../features/offices/offices.api.ts';
import { readStored, writeStored } from '../lib/storage.ts';
import { useSession } from './session.tsx';

export interface OfficeRef {
  id: string;
  code: string;
  name: string;
}

interface OfficeContextValue {
  /** Offices the user can switch between. */
  offices: OfficeRef[];
  /** The office the user works in now, if there is any office at all. */
  current: OfficeRef | undefined;
  select: (id: string) => void;
  isLoading: boolean;
}

const OFFICE_STORAGE_KEY = 'outpost.office';
const OfficeContext = createContext<OfficeContextValue | null>(null);

export function OfficeProvider({ children }: { children: ReactNode }) {
  const { me } = useSession();
  // Users who see every office get the full list (me.offices only lists the offices they belong to).
  const all = useOfficeList({ sort: 'code' }, { enabled: me.allOffices, pageSize: 200 });
  const [chosen, setChosen] = useState<string | undefined>(() => readStored(OFFICE_STORAGE_KEY));

  const offices = useMemo<OfficeRef[]>(() => {
    const byId = new Map<string, OfficeRef>();
    for (const o of me.offices) byId.set(o.id, o);
    for (const page of all.data?.pages ?? []) {
      for (const o of page.items) byId.set(o.id, { id: o.id, code: o.code, name: o.name });
    }
    return [...byId.values()].sort((a, b) => a.code.localeCompare(b.code));
  }, [me.offices, all.data]);

  const current = offices.find((o) => o.id === chosen) ?? offices[0];

  const select = useCallback((id: string) => {
    setChosen(id);
    writeStored(OFFICE_STORAGE_KEY, id);
  }, []);

  const value = useMemo<OfficeContextValue>(
    () => ({ offices, current, select, isLoading: me.allOffices && all.isLoading }),
    [offices, current, select, me.allOffices, all.isLoading],
  );
  return <OfficeContext.Provider value={value}>{children}</OfficeContext.Provider>;
}

export function useOffices(): OfficeContextValue {
  const value = useContext(OfficeContext);
  if (!value) throw new Error('useOffices outside OfficeProvider');
  return value;
}
