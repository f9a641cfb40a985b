import type { Permission } from '../../../shared/permissions.ts';
import type { SearchDoc } from '../../lib/ports.ts';

/**
 * Filler search documents for volume: the large demo and the benchmark need a million searchable
 * records long before the modules that will own most of them (incidents, tasks, inspections…) exist.
 * They are NOT records: entity type `filler`, no table behind them, their links lead nowhere. Their text
 * imitates what those modules will index — incident, task, inspection and site titles and notes in
 * English and French, mixed — with a realistic spread of word frequencies, offices and permissions.
 */
export const FILLER_TYPE = 'filler';

/** mulberry32: deterministic for a seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CITIES = [
  'Tbilisi',
  'Kutaisi',
  'Batumi',
  'Yerevan',
  'Baku',
  'Kyiv',
  'Odesa',
  'Chișinău',
  'Priština',
  'Skopje',
  'Tirana',
  'Sarajevo',
  'Podgorica',
  'Bamako',
  'Niamey',
  'Goma',
  'Bangui',
  'Juba',
];

const EN = {
  incidents: [
    'Fuel theft',
    'Power outage',
    'Generator failure',
    'Vehicle breakdown',
    'Road accident',
    'Armed robbery',
    'Burglary attempt',
    'Fire alarm',
    'Water leak',
    'Flooding',
    'Checkpoint delay',
    'Protest nearby',
    'Suspicious package',
    'Phishing e-mail',
    'Lost radio',
    'Medical evacuation',
    'Earthquake drill',
    'Gate intrusion',
    'CCTV outage',
    'Threatening phone call',
    'Stolen laptop',
    'Carjacking attempt',
    'Landmine warning',
    'Curfew breach',
  ],
  tasks: [
    'Replace the batteries of the satellite phone',
    'Service the generator',
    'Test the emergency radio network',
    'Update the evacuation plan',
    'Refill the fire extinguishers',
    'Repair the perimeter lighting',
    'Brief new staff on security procedures',
    'Check the safe room supplies',
    'Renew the guard company contract',
    'Review the contingency plan',
    'Install a new CCTV camera',
    'Inspect the residence locks',
    'Restock the first aid kits',
    'Verify the vehicle tracking system',
    'Train drivers on convoy procedures',
  ],
  inspections: [
    'Monthly security inspection',
    'Fire safety inspection',
    'Residential security survey',
    'Route reconnaissance',
    'Emergency communications test',
    'Warehouse inventory check',
    'Vehicle fleet inspection',
  ],
  places: ['office', 'residence', 'warehouse', 'compound', 'guest house', 'field site', 'checkpoint', 'main road'],
  sentences: [
    'The guard on duty reported it at {time} and informed the security officer.',
    'No staff member was injured; the damage is limited to {object}.',
    'The generator ran for {n} hours before the fuel ran out.',
    'Police were called and a report was filed with the local station.',
    'The area remains tense; movements after dark are suspended until further notice.',
    'Follow-up: replace {object} and brief the staff at the next meeting.',
    'The evacuation route through {city} was walked with the drivers.',
    'Radio check completed with all {n} stations; two handsets need new batteries.',
    'Fuel stock is down to {n} litres; order a delivery this week.',
    'The landlord agreed to repair {object} before the end of the month.',
    'CCTV footage was reviewed; the intruder climbed over the back wall.',
    'The head of office approved the budget for {object}.',
    'Security level raised to {n} for the {city} area.',
    'Staff reminded to carry their ID cards and the emergency contact list.',
  ],
  objects: [
    'the main gate',
    'the perimeter wall',
    'the back door',
    'the water tank',
    'the solar panels',
    'the radio mast',
    'the armoured vehicle',
    'the safe room door',
    'the alarm system',
    'the fire exit',
  ],
};

const FR = {
  incidents: [
    'Vol de carburant',
    'Coupure de courant',
    'Panne du générateur',
    'Panne de véhicule',
    'Accident de la route',
    'Vol à main armée',
    'Tentative de cambriolage',
    'Alarme incendie',
    'Fuite d’eau',
    'Inondation',
    'Retard au point de contrôle',
    'Manifestation à proximité',
    'Colis suspect',
    'Courriel d’hameçonnage',
    'Radio perdue',
    'Évacuation sanitaire',
    'Exercice de sécurité incendie',
    'Intrusion au portail',
    'Panne de vidéosurveillance',
    'Appel téléphonique menaçant',
    'Ordinateur portable volé',
    'Tentative de détournement de véhicule',
    'Alerte aux mines',
    'Violation du couvre-feu',
  ],
  tasks: [
    'Remplacer les batteries du téléphone satellite',
    'Entretenir le générateur',
    'Tester le réseau radio d’urgence',
    'Mettre à jour le plan d’évacuation',
    'Recharger les extincteurs',
    'Réparer l’éclairage du périmètre',
    'Former le nouveau personnel aux procédures de sécurité',
    'Vérifier les réserves de la pièce sécurisée',
    'Renouveler le contrat de la société de gardiennage',
    'Réviser le plan de contingence',
    'Installer une nouvelle caméra',
    'Contrôler les serrures de la résidence',
    'Réapprovisionner les trousses de premiers secours',
  ],
  inspections: [
    'Inspection mensuelle de sécurité',
    'Inspection de sécurité incendie',
    'Évaluation de la sécurité résidentielle',
    'Reconnaissance d’itinéraire',
    'Test des communications d’urgence',
    'Inventaire de l’entrepôt',
  ],
  places: ['bureau', 'résidence', 'entrepôt', 'enceinte', 'maison d’hôtes', 'site de terrain', 'poste de contrôle'],
  sentences: [
    'Le gardien de service l’a signalé à {time} et a prévenu l’officier de sécurité.',
    'Aucun membre du personnel n’a été blessé ; les dégâts se limitent à {object}.',
    'Le générateur a fonctionné {n} heures avant la panne de carburant.',
    'La police a été appelée et une plainte a été déposée au commissariat.',
    'La situation reste tendue ; les déplacements après la tombée de la nuit sont suspendus.',
    'Suivi : remplacer {object} et informer le personnel à la prochaine réunion.',
    'L’itinéraire d’évacuation vers {city} a été parcouru avec les chauffeurs.',
    'Contrôle radio effectué avec les {n} stations ; deux combinés ont besoin de batteries.',
    'Le stock de carburant est descendu à {n} litres ; commander une livraison cette semaine.',
    'Le propriétaire a accepté de réparer {object} avant la fin du mois.',
    'Les images de vidéosurveillance ont été visionnées ; l’intrus a escaladé le mur arrière.',
    'Niveau de sécurité relevé à {n} pour la zone de {city}.',
  ],
  objects: [
    'le portail principal',
    'le mur d’enceinte',
    'la porte arrière',
    'le réservoir d’eau',
    'les panneaux solaires',
    'le mât radio',
    'le véhicule blindé',
    'la porte de la pièce sécurisée',
    'le système d’alarme',
    'la sortie de secours',
  ],
};

/** Which module the filler imitates, and the permission its records would need. */
const KINDS: [kind: 'incident' | 'task' | 'inspection', share: number, permission: Permission][] = [
  ['incident', 0.4, 'task.read'],
  ['task', 0.4, 'task.read'],
  ['inspection', 0.2, 'checklist.read'],
];

export interface FillerOptions {
  seed: number;
  /** Offices the documents belong to (spread evenly). */
  officeIds: readonly string[];
  /** Dates are spread over the year before this moment. */
  endMs: number;
}

/** The `i`-th filler document: deterministic for (seed, i), independent of the others. */
export function fillerDoc(i: number, o: FillerOptions): SearchDoc {
  const r = rng((o.seed * 0x9e3779b1) ^ (i * 0x85ebca6b));
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)] as T;
  const lang = r() < 0.6 ? EN : FR;
  const city = pick(CITIES);
  const x = r();
  let upTo = 0;
  const [kind, , permission] =
    KINDS.find(([, share]) => {
      upTo += share;
      return upTo > x;
    }) ?? (KINDS[0] as (typeof KINDS)[0]);
  const place = pick(lang.places);
  const title =
    kind === 'incident'
      ? lang === EN
        ? `${pick(EN.incidents)} at the ${place} in ${city}`
        : `${pick(FR.incidents)} — ${place} de ${city}`
      : kind === 'task'
        ? `${pick(lang.tasks)} (${city})`
        : `${pick(lang.inspections)} — ${place}, ${city}`;
  const sentences: string[] = [];
  const n = 2 + Math.floor(r() * 4);
  for (let s = 0; s < n; s++) {
    sentences.push(
      pick(lang.sentences)
        .replace(
          '{time}',
          `${String(Math.floor(r() * 24)).padStart(2, '0')}:${String(Math.floor(r() * 60)).padStart(2, '0')}`,
        )
        .replace('{object}', pick(lang.objects))
        .replace('{city}', pick(CITIES))
        .replace('{n}', String(1 + Math.floor(r() * 200))),
    );
  }
  const yearMs = 365 * 24 * 3600 * 1000;
  return {
    entityType: FILLER_TYPE,
    entityId: `filler-${o.seed}-${i}`,
    officeId: o.officeIds.length ? (o.officeIds[i % o.officeIds.length] as string) : null,
    title,
    body: sentences.join(' '),
    permission,
    // One in a hundred is sensitive (named users only); the named user is nobody real.
    restrictedTo: r() < 0.01 ? [`00000000-0000-7000-8000-${String(i).padStart(12, '0').slice(-12)}`] : null,
    updatedAt: new Date(o.endMs - Math.floor(r() * yearMs)).toISOString(),
  };
}
