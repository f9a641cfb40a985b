import type { Kysely } from 'kysely';
import type { IncidentDomain, IncidentSeverity } from '../../../shared/incidents/incidents.enums.ts';
import {
  type IncidentCategory,
  IncidentCategoryCreateBody,
  IncidentCategoryUpdateBody,
} from '../../../shared/incidents/incidents.schemas.ts';
import type { DB } from '../../db/schema.ts';
import type { IncidentCategoryRow } from '../../db/tables/incidents.ts';
import { assertCan, assertOffice, type Ctx, canSeeOffice, systemCtx } from '../../lib/auth.ts';
import { type Clock, isoNow } from '../../lib/clock.ts';
import { Conflict, Forbidden, Invalid, NotFound, VersionConflict } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { type AuditService, diff } from '../audit/audit.service.ts';
import * as repo from './incidents.repository.ts';

/**
 * The category catalogue (`family:type`). A realistic starter set is seeded, bilingual, idempotently:
 * an office adjusts it (deactivate, change the default severity) and adds its own.
 */
interface BuiltIn {
  code: string;
  label: string;
  labelFr: string;
  domain: IncidentDomain;
  defaultSeverity: IncidentSeverity | null;
  sensitive?: boolean;
  alwaysImmediate?: boolean;
}

export const BUILT_IN_CATEGORIES: readonly BuiltIn[] = [
  // Cyber
  { code: 'cyber:phishing', label: 'Phishing', labelFr: 'Hameçonnage', domain: 'cyber', defaultSeverity: 2 },
  { code: 'cyber:malware', label: 'Malware', labelFr: 'Logiciel malveillant', domain: 'cyber', defaultSeverity: 3 },
  { code: 'cyber:ransomware', label: 'Ransomware', labelFr: 'Rançongiciel', domain: 'cyber', defaultSeverity: 4 },
  {
    code: 'cyber:account_compromise',
    label: 'Account compromise',
    labelFr: 'Compte compromis',
    domain: 'cyber',
    defaultSeverity: 3,
  },
  {
    code: 'cyber:unauthorised_access',
    label: 'Unauthorised access to a system',
    labelFr: 'Accès non autorisé à un système',
    domain: 'cyber',
    defaultSeverity: 3,
  },
  {
    code: 'cyber:denial_of_service',
    label: 'Denial of service',
    labelFr: 'Déni de service',
    domain: 'cyber',
    defaultSeverity: 2,
  },
  {
    code: 'cyber:web_defacement',
    label: 'Website defacement',
    labelFr: 'Défiguration de site web',
    domain: 'cyber',
    defaultSeverity: 2,
  },
  // Information security
  {
    code: 'infosec:data_leak',
    label: 'Data leak',
    labelFr: 'Fuite de données',
    domain: 'information_security',
    defaultSeverity: 3,
  },
  {
    code: 'infosec:device_loss',
    label: 'Lost or stolen device',
    labelFr: 'Appareil perdu ou volé',
    domain: 'information_security',
    defaultSeverity: 2,
  },
  {
    code: 'infosec:media_loss',
    label: 'Lost storage media or documents',
    labelFr: 'Support ou documents perdus',
    domain: 'information_security',
    defaultSeverity: 2,
  },
  {
    code: 'infosec:misdirected_email',
    label: 'E-mail sent to the wrong recipient',
    labelFr: 'Courriel envoyé au mauvais destinataire',
    domain: 'information_security',
    defaultSeverity: 1,
  },
  {
    code: 'infosec:classified_breach',
    label: 'Breach of classified information handling',
    labelFr: 'Manquement aux règles sur les informations classifiées',
    domain: 'information_security',
    defaultSeverity: 3,
  },
  // Physical
  {
    code: 'physical:lost_badge_key',
    label: 'Lost badge or key',
    labelFr: 'Badge ou clé perdu',
    domain: 'physical',
    defaultSeverity: 1,
  },
  {
    code: 'physical:intrusion',
    label: 'Intrusion or break-in',
    labelFr: 'Intrusion ou effraction',
    domain: 'physical',
    defaultSeverity: 3,
  },
  { code: 'physical:theft', label: 'Theft', labelFr: 'Vol', domain: 'physical', defaultSeverity: 2 },
  { code: 'physical:vandalism', label: 'Vandalism', labelFr: 'Vandalisme', domain: 'physical', defaultSeverity: 1 },
  {
    code: 'physical:suspicious_object',
    label: 'Suspicious object',
    labelFr: 'Objet suspect',
    domain: 'physical',
    defaultSeverity: 3,
    alwaysImmediate: true,
  },
  {
    code: 'physical:hostile_surveillance',
    label: 'Hostile surveillance',
    labelFr: 'Surveillance hostile',
    domain: 'physical',
    defaultSeverity: 3,
  },
  {
    code: 'physical:demonstration',
    label: 'Demonstration near premises',
    labelFr: 'Manifestation près des locaux',
    domain: 'physical',
    defaultSeverity: 2,
  },
  {
    code: 'physical:access_control_failure',
    label: 'Access control failure',
    labelFr: 'Défaillance du contrôle d’accès',
    domain: 'physical',
    defaultSeverity: 2,
  },
  { code: 'physical:fire', label: 'Fire', labelFr: 'Incendie', domain: 'physical', defaultSeverity: 3 },
  {
    code: 'physical:power_comms_outage',
    label: 'Power or communications outage',
    labelFr: 'Coupure d’électricité ou de communications',
    domain: 'physical',
    defaultSeverity: 2,
  },
  {
    code: 'physical:explosion_armed_attack',
    label: 'Explosion or armed attack nearby',
    labelFr: 'Explosion ou attaque armée à proximité',
    domain: 'physical',
    defaultSeverity: 4,
    alwaysImmediate: true,
  },
  // Personnel safety
  {
    code: 'safety:threat_harassment',
    label: 'Threat or harassment',
    labelFr: 'Menace ou harcèlement',
    domain: 'personnel_safety',
    defaultSeverity: 2,
  },
  {
    code: 'safety:assault',
    label: 'Assault',
    labelFr: 'Agression',
    domain: 'personnel_safety',
    defaultSeverity: 3,
    alwaysImmediate: true,
  },
  {
    code: 'safety:robbery',
    label: 'Robbery',
    labelFr: 'Vol avec violence',
    domain: 'personnel_safety',
    defaultSeverity: 3,
    alwaysImmediate: true,
  },
  {
    code: 'safety:detention',
    label: 'Arrest or detention',
    labelFr: 'Arrestation ou détention',
    domain: 'personnel_safety',
    defaultSeverity: 4,
    alwaysImmediate: true,
  },
  {
    code: 'safety:kidnapping',
    label: 'Kidnapping or abduction',
    labelFr: 'Enlèvement',
    domain: 'personnel_safety',
    defaultSeverity: 4,
    alwaysImmediate: true,
  },
  {
    code: 'safety:sexual_violence',
    label: 'Sexual violence',
    labelFr: 'Violence sexuelle',
    domain: 'personnel_safety',
    defaultSeverity: 4,
    sensitive: true,
    alwaysImmediate: true,
  },
  {
    code: 'safety:road_accident',
    label: 'Road traffic accident',
    labelFr: 'Accident de la route',
    domain: 'personnel_safety',
    defaultSeverity: 2,
  },
  {
    code: 'safety:medical',
    label: 'Medical emergency',
    labelFr: 'Urgence médicale',
    domain: 'personnel_safety',
    defaultSeverity: 3,
  },
  {
    code: 'safety:death',
    label: 'Death of a staff member',
    labelFr: 'Décès d’un membre du personnel',
    domain: 'personnel_safety',
    defaultSeverity: 4,
    alwaysImmediate: true,
  },
  {
    code: 'safety:checkpoint',
    label: 'Checkpoint incident',
    labelFr: 'Incident à un point de contrôle',
    domain: 'personnel_safety',
    defaultSeverity: 2,
  },
  {
    code: 'safety:natural_hazard',
    label: 'Natural hazard (earthquake, flood, storm)',
    labelFr: 'Aléa naturel (séisme, inondation, tempête)',
    domain: 'personnel_safety',
    defaultSeverity: 3,
  },
  {
    code: 'safety:civil_unrest',
    label: 'Civil unrest',
    labelFr: 'Troubles civils',
    domain: 'personnel_safety',
    defaultSeverity: 3,
  },
  { code: 'other:other', label: 'Other', labelFr: 'Autre', domain: 'mixed', defaultSeverity: null },
];

export function toCategory(r: IncidentCategoryRow): IncidentCategory {
  return {
    id: r.id,
    officeId: r.office_id,
    code: r.code,
    family: r.family,
    label: r.label,
    labelFr: r.label_fr,
    domain: r.domain as IncidentCategory['domain'],
    defaultSeverity: (r.default_severity ?? null) as IncidentCategory['defaultSeverity'],
    sensitive: r.sensitive === 1,
    alwaysImmediate: r.always_immediate === 1,
    active: r.active === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export type IncidentCategoryService = ReturnType<typeof createIncidentCategories>;

export function createIncidentCategories(deps: { db: Kysely<DB>; clock: Clock; audit: AuditService }) {
  const { db, clock, audit } = deps;
  const now = () => isoNow(clock);
  let seeded = false;

  /** Seeds the built-in set once (the first list finds it even if the server did not seed at start). */
  async function lazySeed() {
    if (seeded) return;
    if ((await repo.countCategories(db)) === 0) await service.ensureBuiltInCategories();
    seeded = true;
  }

  const service = {
    /** Adds the built-in categories missing from the global catalogue; returns the codes added. */
    async ensureBuiltInCategories(): Promise<string[]> {
      const added: string[] = [];
      for (const b of BUILT_IN_CATEGORIES) {
        if (await repo.categoryExists(db, null, b.code)) continue;
        const at = now();
        const row: IncidentCategoryRow = {
          id: newId(),
          office_id: null,
          code: b.code,
          family: b.code.split(':')[0] ?? b.code,
          label: b.label,
          label_fr: b.labelFr,
          domain: b.domain,
          default_severity: b.defaultSeverity,
          sensitive: b.sensitive ? 1 : 0,
          always_immediate: b.alwaysImmediate ? 1 : 0,
          active: 1,
          created_at: at,
          updated_at: at,
          version: 1,
        };
        try {
          await db.transaction().execute(async (trx) => {
            await repo.insertCategory(trx, row);
            await audit.record(trx, systemCtx, {
              action: 'incident_category.create',
              entityType: 'incident_category',
              entityId: row.id,
              officeId: null,
              changes: { code: row.code, builtIn: true },
            });
          });
          added.push(b.code);
        } catch (e) {
          if (!isUniqueViolation(e)) throw e;
        }
      }
      seeded = true;
      return added;
    },

    async list(ctx: Ctx, officeId: string | null | undefined, includeInactive = false): Promise<IncidentCategory[]> {
      assertCan(ctx, 'incident.report');
      if (officeId) assertOffice(ctx, officeId);
      await lazySeed();
      return (await repo.categories(db, officeId ?? null, includeInactive)).map(toCategory);
    },

    /** The category an incident of the office may use (active), or a 400 naming the field. */
    /**
     * Seeds the built-in set if the catalogue is empty. Call it before opening a transaction: on SQLite
     * the seeding's own transactions would wait for the one connection forever.
     */
    ensureSeeded: lazySeed,

    async resolve(ex: Parameters<typeof repo.categoryFor>[0], officeId: string, code: string, path = 'body.category') {
      const c = await repo.categoryFor(ex, officeId, code);
      if (c?.active !== 1)
        throw new Invalid(`There is no active incident category ${code} for this office.`, [
          { path, message: 'is not a category of the catalogue', code: 'unknown_category' },
        ]);
      return c;
    },

    async create(ctx: Ctx, input: unknown): Promise<IncidentCategory> {
      assertCan(ctx, 'incident.manage');
      const r = IncidentCategoryCreateBody.safeParse(input);
      if (!r.success)
        throw new Invalid(
          'The category is not valid.',
          r.error.issues.map((i) => ({ path: ['body', ...i.path.map(String)].join('.'), message: i.message })),
        );
      const data = r.data;
      const officeId = data.officeId ?? null;
      if (officeId === null && ctx.actor && !ctx.actor.allOffices)
        throw new Forbidden('Only an administrator changes the global catalogue: give the office (officeId).');
      if (officeId) {
        assertOffice(ctx, officeId);
        if (!(await repo.officeCode(db, officeId))) throw new NotFound('No such office.');
      }
      await lazySeed();
      return db.transaction().execute(async (trx) => {
        if (await repo.categoryExists(trx, officeId, data.code))
          throw new Conflict(`The category ${data.code} exists already.`);
        const at = now();
        const row: IncidentCategoryRow = {
          id: newId(),
          office_id: officeId,
          code: data.code,
          family: data.code.split(':')[0] ?? data.code,
          label: data.label,
          label_fr: data.labelFr,
          domain: data.domain,
          default_severity: data.defaultSeverity ?? null,
          sensitive: data.sensitive ? 1 : 0,
          always_immediate: data.alwaysImmediate ? 1 : 0,
          active: 1,
          created_at: at,
          updated_at: at,
          version: 1,
        };
        await repo.insertCategory(trx, row);
        await audit.record(trx, ctx, {
          action: 'incident_category.create',
          entityType: 'incident_category',
          entityId: row.id,
          officeId,
          changes: toCategory(row),
        });
        return toCategory(row);
      });
    },

    async update(ctx: Ctx, id: string, input: unknown): Promise<IncidentCategory> {
      assertCan(ctx, 'incident.manage');
      const r = IncidentCategoryUpdateBody.safeParse(input);
      if (!r.success)
        throw new Invalid(
          'The category is not valid.',
          r.error.issues.map((i) => ({ path: ['body', ...i.path.map(String)].join('.'), message: i.message })),
        );
      const { version, ...c } = r.data;
      return db.transaction().execute(async (trx) => {
        const before = await repo.findCategory(trx, id);
        if (!before || (before.office_id !== null && !canSeeOffice(ctx, before.office_id)))
          throw new NotFound('No such category.');
        if (before.office_id === null && ctx.actor && !ctx.actor.allOffices)
          throw new Forbidden('Only an administrator changes the global catalogue; add an office category instead.');
        if (before.version !== version)
          throw new VersionConflict(
            `This category was changed by someone else (now version ${before.version}); reload it.`,
            before.version,
          );
        const after: IncidentCategoryRow = { ...before };
        if (c.label !== undefined) after.label = c.label;
        if (c.labelFr !== undefined) after.label_fr = c.labelFr;
        if (c.domain !== undefined) after.domain = c.domain;
        if (c.defaultSeverity !== undefined) after.default_severity = c.defaultSeverity;
        if (c.sensitive !== undefined) after.sensitive = c.sensitive ? 1 : 0;
        if (c.alwaysImmediate !== undefined) after.always_immediate = c.alwaysImmediate ? 1 : 0;
        if (c.active !== undefined) after.active = c.active ? 1 : 0;
        const changes = diff(toCategory(before), toCategory(after));
        if (Object.keys(changes).length === 0) return toCategory(before);
        after.version = before.version + 1;
        after.updated_at = now();
        if (!(await repo.updateCategoryIfVersion(trx, after, version)))
          throw new VersionConflict('This category was changed by someone else; reload it.', before.version + 1);
        await audit.record(trx, ctx, {
          action: 'incident_category.update',
          entityType: 'incident_category',
          entityId: id,
          officeId: before.office_id,
          changes,
        });
        return toCategory(after);
      });
    },
  };
  return service;
}
