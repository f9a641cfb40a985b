import { createHash } from 'node:crypto';
import type { IncidentReportModel } from './reports.model.ts';
import { markdownParagraphs, redact, safeText } from './reports.text.ts';

/**
 * STIX 2.1 export of incidents (pure). One bundle holds, per incident: the incident SDO with the OASIS
 * Incident Core extension, the office as an `identity` (organization), a `location`, observables as SCOs,
 * a `course-of-action` from the lessons learned, relationships, and the TLP 2.0 marking definitions with
 * their canonical OASIS ids. Never person records: no involved persons, no reporter, owner or reviewer
 * names; free text (title, narrative, lessons) has the names the incident knows redacted.
 *
 * Ids are UUIDv5: SDOs/SROs over the incident's own id (stable across re-exports), SCOs by the STIX 2.1
 * rule (OASIS namespace over their id-contributing properties), so the same IP is the same object everywhere.
 */

/** OASIS Incident Core extension (cti-stix-common-objects, extension-definition-specifications/incident-core). */
export const INCIDENT_CORE_EXTENSION = 'extension-definition--ef765651-680c-498d-9894-99799f2fa126';
/** OASIS TLP 2.0 extension definition and its five marking definitions (canonical ids). */
export const TLP2_EXTENSION = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';
export const TLP2_MARKINGS: Record<string, string> = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

/** The STIX 2.1 namespace for deterministic SCO ids (spec §2.9). */
const OASIS_SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';
/** Outpost's own namespace for SDO/SRO/bundle ids. */
const OUTPOST_NAMESPACE = '5b1c7c1e-6f0e-5a53-9d7e-2f4f0a6b3c11';

export function uuidv5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const h = createHash('sha1').update(ns).update(name, 'utf8').digest();
  const b = h.subarray(0, 16);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x50;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** JSON with sorted keys (RFC 8785-like for the simple values SCOs use). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

type StixObject = { type: string; id: string } & Record<string, unknown>;
export interface StixBundle {
  type: 'bundle';
  id: string;
  objects: StixObject[];
}

const sdoId = (type: string, key: string) => `${type}--${uuidv5(key, OUTPOST_NAMESPACE)}`;
const scoId = (type: string, contributing: Record<string, unknown>) =>
  `${type}--${uuidv5(canonical(contributing), OASIS_SCO_NAMESPACE)}`;

/** STIX timestamps: RFC 3339 UTC with milliseconds. */
function ts(iso: string | null | undefined, fallback: string): string {
  const d = new Date(iso ?? fallback);
  return Number.isNaN(d.getTime()) ? new Date(fallback).toISOString() : d.toISOString();
}

export function tlpMarking(tlp: string): StixObject {
  const level = TLP2_MARKINGS[tlp] ? tlp : 'amber';
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP2_MARKINGS[level] as string,
    created: '2022-10-01T00:00:00.000Z',
    name: `TLP:${level.toUpperCase()}`,
    extensions: { [TLP2_EXTENSION]: { extension_type: 'property-extension', tlp_2_0: level } },
  };
}

const DETERMINATION: Record<string, string> = {
  suspected: 'suspected',
  confirmed: 'confirmed',
  near_miss: 'blocked',
  attempt: 'failed',
  false_positive: 'false-positive',
};

function investigationStatus(status: string): string {
  if (status === 'reported') return 'new';
  if (['closed', 'rejected', 'duplicate', 'resolved'].includes(status)) return 'closed';
  return 'open';
}

const HASH_NAMES: Record<string, string> = { md5: 'MD5', sha1: 'SHA-1', sha256: 'SHA-256' };

/** An observable as an SCO, or null for kinds STIX has no object for (phone, plate, other). */
export function observableToSco(type: string, rawValue: string): StixObject | null {
  const value = safeText(rawValue).trim();
  if (!value) return null;
  const simple = (t: string, v: string) => ({ type: t, spec_version: '2.1', id: scoId(t, { value: v }), value: v });
  switch (type) {
    case 'ipv4':
      return simple('ipv4-addr', value);
    case 'ipv6':
      return simple('ipv6-addr', value);
    case 'domain':
      return simple('domain-name', value.toLowerCase());
    case 'url':
      return simple('url', value);
    case 'email':
      return simple('email-addr', value);
    case 'md5':
    case 'sha1':
    case 'sha256': {
      const hashes = { [HASH_NAMES[type] as string]: value.toLowerCase() };
      return { type: 'file', spec_version: '2.1', id: scoId('file', { hashes }), hashes };
    }
    case 'file_name':
      return { type: 'file', spec_version: '2.1', id: scoId('file', { name: value }), name: value };
    default:
      return null;
  }
}

function relationship(
  source: string,
  relationshipType: string,
  target: string,
  at: string,
  by: string,
  marking: string,
) {
  return {
    type: 'relationship',
    spec_version: '2.1',
    id: sdoId('relationship', `${source}|${relationshipType}|${target}`),
    created: at,
    modified: at,
    relationship_type: relationshipType,
    source_ref: source,
    target_ref: target,
    created_by_ref: by,
    object_marking_refs: [marking],
  };
}

/** The objects of one incident (without the marking definitions, which the bundle adds once). */
export function incidentObjects(m: IncidentReportModel): StixObject[] {
  const created = ts(m.createdAt, m.times.reportedAt);
  const later = (a: string, b: string) => (a < b ? b : a);
  const modified = later(ts(m.updatedAt, created), created);
  const marking = tlpMarking(m.tlp).id;
  const officeCreated = ts(m.office.createdAt, created);
  const identity: StixObject = {
    type: 'identity',
    spec_version: '2.1',
    id: sdoId('identity', `office:${m.office.id}`),
    created: officeCreated,
    modified: later(ts(m.office.updatedAt, officeCreated), officeCreated),
    name: safeText(`${m.office.code} — ${m.office.name}`),
    identity_class: 'organization',
  };
  const incidentId = sdoId('incident', `incident:${m.id}`);
  const others: StixObject[] = [];
  const rels: StixObject[] = [];

  if (m.location.country || m.location.city || (m.location.latitude !== null && m.location.longitude !== null)) {
    const loc: StixObject = {
      type: 'location',
      spec_version: '2.1',
      id: sdoId('location', `incident:${m.id}:location`),
      created,
      modified,
      created_by_ref: identity.id,
      object_marking_refs: [marking],
      ...(m.location.country ? { country: m.location.country.toUpperCase() } : {}),
      ...(m.location.city ? { city: safeText(m.location.city) } : {}),
      ...(m.location.latitude !== null && m.location.longitude !== null
        ? { latitude: m.location.latitude, longitude: m.location.longitude }
        : {}),
    };
    // A location needs a region, a country, or a latitude/longitude pair.
    if (!('country' in loc) && !('latitude' in loc)) loc.region = 'unknown';
    others.push(loc);
    rels.push(relationship(incidentId, 'located-at', loc.id, modified, identity.id, marking));
  }

  const seen = new Set<string>();
  const addSco = (sco: StixObject | null) => {
    if (!sco || seen.has(sco.id)) return;
    seen.add(sco.id);
    others.push(sco);
    rels.push(relationship(incidentId, 'related-to', sco.id, modified, identity.id, marking));
  };
  for (const o of m.observables) addSco(observableToSco(o.type, o.value));
  for (const e of m.evidence)
    if (e.sha256 && /^[0-9a-f]{64}$/i.test(e.sha256)) addSco(observableToSco('sha256', e.sha256));

  if (m.lessonsLearned?.trim()) {
    const coa: StixObject = {
      type: 'course-of-action',
      spec_version: '2.1',
      id: sdoId('course-of-action', `incident:${m.id}:lessons`),
      created,
      modified,
      created_by_ref: identity.id,
      object_marking_refs: [marking],
      name: `Lessons learned — ${m.reference}`,
      description: markdownParagraphs(redact(m.lessonsLearned, m.redactNames)).join('\n\n'),
    };
    others.push(coa);
    rels.push(relationship(coa.id, 'related-to', incidentId, modified, identity.id, marking));
  }

  const description = markdownParagraphs(redact(m.narrative, m.redactNames)).join('\n\n');
  const incident: StixObject = {
    type: 'incident',
    spec_version: '2.1',
    id: incidentId,
    created,
    modified,
    created_by_ref: identity.id,
    object_marking_refs: [marking],
    name: redact(`${m.reference}: ${m.title}`, m.redactNames),
    ...(description ? { description } : {}),
    labels: [m.category, m.domain],
    external_references: [{ source_name: 'outpost', external_id: m.reference }],
    extensions: {
      [INCIDENT_CORE_EXTENSION]: {
        extension_type: 'property-extension',
        determination: DETERMINATION[m.determination] ?? 'suspected',
        investigation_status: investigationStatus(m.status),
        incident_types: [m.category],
        ...(m.severity ? { criticality: m.severity * 25 } : {}),
        other_object_refs: [identity.id, ...others.map((o) => o.id), ...rels.map((r) => r.id)],
      },
    },
  };
  return [incident, identity, ...others, ...rels];
}

/** A bundle of one or more incidents; identical objects (the office, a shared IP) appear once. */
export function stixBundle(models: readonly IncidentReportModel[]): StixBundle {
  const byId = new Map<string, StixObject>();
  const markings = new Map<string, StixObject>();
  for (const m of models) {
    const md = tlpMarking(m.tlp);
    markings.set(md.id, md);
    for (const o of incidentObjects(m)) if (!byId.has(o.id)) byId.set(o.id, o);
  }
  const objects = [...markings.values(), ...byId.values()];
  const key = models
    .map((m) => m.id)
    .sort()
    .join(',');
  return { type: 'bundle', id: `bundle--${uuidv5(`bundle:${key}`, OUTPOST_NAMESPACE)}`, objects };
}
