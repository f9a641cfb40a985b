import {
  IconAddressBook,
  IconAlertTriangle,
  IconBuilding,
  IconCalendarEvent,
  IconChecklist,
  IconClipboardCheck,
  IconFileText,
  IconGauge,
  IconLayoutDashboard,
  IconNews,
  IconReceipt,
  IconRoute,
  IconSchool,
  IconServerCog,
  IconSettings,
  IconUsers,
} from '@tabler/icons-react';
import type { ComponentType } from 'react';

/** The modules of the capability map (PRODUCT.md), in navigation order. */
export const MODULE_KEYS = [
  'dashboard',
  'incidents',
  'risks',
  'compliance',
  'systems',
  'plans',
  'people',
  'evacuation',
  'information',
  'training',
  'stakeholders',
  'procurement',
  'inspections',
  'tasks',
  'offices',
  'admin',
] as const;
export type ModuleKey = (typeof MODULE_KEYS)[number];

export type NavGroup = 'overview' | 'operations' | 'field' | 'organisation' | 'setup';
export const NAV_GROUPS: readonly NavGroup[] = ['overview', 'operations', 'field', 'organisation', 'setup'];

export interface ModuleDef {
  key: ModuleKey;
  path: string;
  group: NavGroup;
  icon: ComponentType<{ size?: number | string; stroke?: number; 'aria-hidden'?: boolean }>;
  /** `coming`: not built yet; the page says what it will do (`modules.<key>.features` in the locales). */
  status: 'built' | 'coming';
}

export const MODULES: readonly ModuleDef[] = [
  { key: 'dashboard', path: '/', group: 'overview', icon: IconLayoutDashboard, status: 'built' },
  { key: 'incidents', path: '/incidents', group: 'operations', icon: IconAlertTriangle, status: 'built' },
  { key: 'risks', path: '/risks', group: 'operations', icon: IconGauge, status: 'coming' },
  { key: 'compliance', path: '/compliance', group: 'operations', icon: IconChecklist, status: 'coming' },
  { key: 'systems', path: '/systems', group: 'operations', icon: IconServerCog, status: 'coming' },
  { key: 'plans', path: '/plans', group: 'operations', icon: IconFileText, status: 'coming' },
  { key: 'people', path: '/people', group: 'field', icon: IconUsers, status: 'coming' },
  { key: 'evacuation', path: '/evacuation', group: 'field', icon: IconRoute, status: 'coming' },
  { key: 'information', path: '/information', group: 'field', icon: IconNews, status: 'coming' },
  { key: 'training', path: '/training', group: 'field', icon: IconSchool, status: 'coming' },
  {
    key: 'stakeholders',
    path: '/stakeholders',
    group: 'organisation',
    icon: IconAddressBook,
    status: 'coming',
  },
  { key: 'procurement', path: '/procurement', group: 'organisation', icon: IconReceipt, status: 'coming' },
  {
    key: 'inspections',
    path: '/inspections',
    group: 'organisation',
    icon: IconClipboardCheck,
    status: 'built',
  },
  { key: 'tasks', path: '/tasks', group: 'organisation', icon: IconCalendarEvent, status: 'built' },
  { key: 'offices', path: '/offices', group: 'setup', icon: IconBuilding, status: 'built' },
  { key: 'admin', path: '/admin', group: 'setup', icon: IconSettings, status: 'built' },
];

export const COMING_MODULES = MODULES.filter((m) => m.status === 'coming');

export function moduleByKey(key: ModuleKey): ModuleDef {
  const m = MODULES.find((x) => x.key === key);
  if (!m) throw new Error(`Unknown module ${key}`);
  return m;
}
