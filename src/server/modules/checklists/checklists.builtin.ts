import type { ChecklistItemInput, TemplateCreateInput } from '../../../shared/checklists/checklists.schemas.ts';

/**
 * The templates Outpost ships, as global templates (English, with French titles). Seeded once by key
 * (`ensureBuiltInTemplates`, at server start); an administrator may edit them afterwards like any other.
 * Yes/no items are worded so that "yes" is the safe answer.
 */
export interface BuiltInTemplate extends TemplateCreateInput {
  key: string;
}

type Sec = [string, string];
const yn = (
  section: Sec,
  id: string,
  label: string,
  labelFr: string,
  opts: { required?: boolean; guidance?: string; guidanceFr?: string } = {},
): ChecklistItemInput => ({
  id,
  section: section[0],
  sectionFr: section[1],
  label,
  labelFr,
  type: 'yes_no_na',
  required: opts.required ?? false,
  guidance: opts.guidance ?? null,
  guidanceFr: opts.guidanceFr ?? null,
});
const num = (
  section: Sec,
  id: string,
  label: string,
  labelFr: string,
  unit: string,
  min: number | null,
  max: number | null,
  opts: { required?: boolean; guidance?: string; guidanceFr?: string } = {},
): ChecklistItemInput => ({
  id,
  section: section[0],
  sectionFr: section[1],
  label,
  labelFr,
  type: 'number',
  unit,
  min,
  max,
  required: opts.required ?? false,
  guidance: opts.guidance ?? null,
  guidanceFr: opts.guidanceFr ?? null,
});
const choice = (
  section: Sec,
  id: string,
  label: string,
  labelFr: string,
  options: [string, string, string, boolean][],
  required = false,
): ChecklistItemInput => ({
  id,
  section: section[0],
  sectionFr: section[1],
  label,
  labelFr,
  type: 'choice',
  required,
  options: options.map(([value, l, lFr, failing]) => ({ value, label: l, labelFr: lFr, failing })),
});
const photo = (section: Sec, id: string, label: string, labelFr: string): ChecklistItemInput => ({
  id,
  section: section[0],
  sectionFr: section[1],
  label,
  labelFr,
  type: 'photo',
});
const note = (section: Sec, id: string, label: string, labelFr: string, required = false): ChecklistItemInput => ({
  id,
  section: section[0],
  sectionFr: section[1],
  label,
  labelFr,
  type: 'text',
  required,
});

const PERIMETER: Sec = ['Perimeter', 'Périmètre'];
const ACCESS: Sec = ['Access control', "Contrôle d'accès"];
const LIGHTING: Sec = ['Lighting', 'Éclairage'];
const CCTV: Sec = ['CCTV', 'Vidéosurveillance'];
const SAFE_ROOM: Sec = ['Safe room', 'Pièce sécurisée'];
const KEYS: Sec = ['Key control', 'Gestion des clés'];
const FINDINGS: Sec = ['Findings', 'Constats'];

const physicalSecurity: BuiltInTemplate = {
  key: 'office-physical-security',
  name: 'Office physical-security inspection',
  nameFr: 'Inspection de sûreté physique du bureau',
  description:
    'Quarterly walk-through of the office premises: perimeter, access control, lighting, CCTV, safe room and key control.',
  items: [
    yn(
      PERIMETER,
      'perimeter-intact',
      'Perimeter wall or fence intact: no gaps, breaches or climbing aids against it',
      "Mur ou clôture d'enceinte intact : ni brèche, ni objet permettant l'escalade",
      {
        required: true,
        guidance:
          'Walk the whole perimeter. Look for gaps under gates, damaged razor wire, trees, bins or vehicles parked against the wall.',
        guidanceFr:
          'Faire tout le tour. Chercher les passages sous les portails, le barbelé endommagé, les arbres, poubelles ou véhicules contre le mur.',
      },
    ),
    yn(
      PERIMETER,
      'gates-lock',
      'Vehicle and pedestrian gates close fully and lock',
      'Les portails véhicules et piétons se ferment complètement et se verrouillent',
      { required: true },
    ),
    yn(
      PERIMETER,
      'anti-ram',
      'Vehicle barrier or anti-ram measures in place and working',
      'Barrière ou dispositif anti-bélier en place et fonctionnel',
    ),
    choice(
      PERIMETER,
      'perimeter-condition',
      'Overall condition of the perimeter',
      'État général du périmètre',
      [
        ['good', 'Good', 'Bon', false],
        ['fair', 'Fair: minor repairs needed', 'Moyen : petites réparations', false],
        ['poor', 'Poor: can be breached', 'Mauvais : franchissable', true],
      ],
      true,
    ),
    yn(
      ACCESS,
      'guard-on-post',
      'Guard on post at the gate, with radio and visitor log',
      'Gardien à son poste au portail, avec radio et registre des visiteurs',
      { required: true },
    ),
    yn(
      ACCESS,
      'visitor-log',
      'Visitor log complete for the last 7 days (name, ID, host, times in and out)',
      "Registre des visiteurs complet sur 7 jours (nom, pièce d'identité, hôte, heures)",
      { required: true },
    ),
    yn(
      ACCESS,
      'visitor-badges',
      "Visitors' ID checked; visitor badges issued and returned",
      "Pièce d'identité contrôlée ; badges visiteurs remis et restitués",
    ),
    yn(
      ACCESS,
      'doors-locked',
      'External doors solid, self-closing and locked outside office hours',
      'Portes extérieures solides, à fermeture automatique, verrouillées hors heures de bureau',
      { required: true },
    ),
    yn(
      ACCESS,
      'windows',
      'Ground-floor windows have grilles or security film and close securely',
      'Fenêtres du rez-de-chaussée avec grilles ou film de sécurité, fermant correctement',
    ),
    yn(
      LIGHTING,
      'perimeter-lighting',
      'Perimeter lighting works all round, with no dark zones',
      "L'éclairage périphérique fonctionne partout, sans zone d'ombre",
      {
        required: true,
        guidance: 'Check after dark where possible; note where any light is out.',
        guidanceFr: "Vérifier de nuit si possible ; noter l'emplacement des lampes hors service.",
      },
    ),
    yn(
      LIGHTING,
      'lighting-backup',
      'Security lighting stays on during a mains power cut (generator or UPS)',
      "L'éclairage de sécurité reste allumé pendant une coupure de courant (groupe ou onduleur)",
    ),
    num(
      LIGHTING,
      'gate-lux',
      'Light level at the main gate at night',
      "Niveau d'éclairage au portail principal de nuit",
      'lux',
      20,
      null,
      {
        guidance: 'Measure with a phone light-meter app at face height; 20 lux lets the guard recognise a face.',
        guidanceFr:
          'Mesurer avec une application luxmètre à hauteur de visage ; 20 lux permettent au gardien de reconnaître un visage.',
      },
    ),
    yn(
      CCTV,
      'cctv-picture',
      'Every CCTV camera shows a clear picture on the monitor',
      'Chaque caméra affiche une image nette sur le moniteur',
      { required: true },
    ),
    num(CCTV, 'cctv-offline', 'Cameras offline or obstructed', 'Caméras hors service ou obstruées', 'cameras', 0, 0, {
      required: true,
    }),
    num(
      CCTV,
      'cctv-retention',
      'Days of recording kept on the recorder',
      "Jours d'enregistrement conservés",
      'days',
      14,
      null,
    ),
    yn(
      CCTV,
      'cctv-clock',
      "Recorder's clock correct to within 5 minutes",
      "Horloge de l'enregistreur juste à 5 minutes près",
    ),
    yn(
      SAFE_ROOM,
      'safe-room-door',
      'Safe-room door locks from the inside and nothing blocks it',
      "La porte de la pièce sécurisée se verrouille de l'intérieur et rien ne la bloque",
      { required: true },
    ),
    yn(
      SAFE_ROOM,
      'safe-room-supplies',
      'Supplies in place: water for 3 days, food, first-aid kit, torch, contact list',
      'Réserves en place : eau pour 3 jours, nourriture, trousse de secours, lampe, liste de contacts',
      { required: true },
    ),
    yn(
      SAFE_ROOM,
      'safe-room-comms',
      'A working means of communication is in the safe room (charged radio or satellite phone)',
      'Un moyen de communication fonctionne dans la pièce sécurisée (radio chargée ou téléphone satellite)',
      { required: true },
    ),
    yn(
      KEYS,
      'key-register',
      'Key register up to date; every key accounted for',
      'Registre des clés à jour ; chaque clé localisée',
      { required: true },
    ),
    yn(
      KEYS,
      'key-cabinet',
      'Key cabinet locked; spare keys kept separately',
      'Armoire à clés fermée ; doubles conservés séparément',
    ),
    num(
      KEYS,
      'keys-lost',
      'Keys reported lost since the last inspection',
      'Clés déclarées perdues depuis la dernière inspection',
      'keys',
      0,
      0,
    ),
    photo(
      FINDINGS,
      'main-issue-photo',
      'Photo of the most significant issue found',
      'Photo du problème le plus important constaté',
    ),
    note(FINDINGS, 'observations', 'Other observations', 'Autres observations'),
  ],
};

const EXTINGUISHERS: Sec = ['Extinguishers', 'Extincteurs'];
const ALARM: Sec = ['Alarm and detection', 'Alarme et détection'];
const EXITS: Sec = ['Exits and evacuation', 'Issues et évacuation'];
const HAZARDS: Sec = ['Hazards', 'Risques'];

const fireSafety: BuiltInTemplate = {
  key: 'fire-safety',
  name: 'Fire-safety inspection',
  nameFr: 'Inspection de sécurité incendie',
  description: 'Monthly check of extinguishers, alarm, exits, evacuation arrangements and fire hazards.',
  items: [
    yn(
      EXTINGUISHERS,
      'extinguishers-present',
      'An extinguisher is in place at every marked point',
      'Un extincteur est en place à chaque emplacement signalé',
      { required: true },
    ),
    yn(
      EXTINGUISHERS,
      'extinguishers-serviced',
      'Every extinguisher serviced within the last 12 months (tag in date)',
      'Chaque extincteur vérifié depuis moins de 12 mois (étiquette à jour)',
      {
        required: true,
        guidance:
          'Read the service tag on each one. CO2 units near the server room and electrical panels, water or foam elsewhere.',
        guidanceFr:
          "Lire l'étiquette de chacun. CO2 près de la salle serveur et des tableaux électriques, eau ou mousse ailleurs.",
      },
    ),
    yn(
      EXTINGUISHERS,
      'extinguishers-pressure',
      'Pressure gauges in the green; seals and pins intact',
      'Manomètres dans le vert ; scellés et goupilles intacts',
      { required: true },
    ),
    num(
      EXTINGUISHERS,
      'extinguishers-expired',
      'Extinguishers out of date, discharged or damaged',
      'Extincteurs périmés, vides ou endommagés',
      'extinguishers',
      0,
      0,
      { required: true },
    ),
    yn(
      EXTINGUISHERS,
      'fire-blanket',
      'Fire blanket mounted in the kitchen',
      'Couverture anti-feu fixée dans la cuisine',
    ),
    yn(
      ALARM,
      'alarm-test',
      'Fire alarm tested this month and heard throughout the building',
      'Alarme incendie testée ce mois-ci et audible dans tout le bâtiment',
      { required: true },
    ),
    yn(ALARM, 'alarm-panel', 'Alarm panel shows no fault', "Le tableau d'alarme n'affiche aucun défaut"),
    num(
      ALARM,
      'detectors-failing',
      'Smoke detectors failing the test button',
      'Détecteurs de fumée en échec au bouton de test',
      'detectors',
      0,
      0,
      { required: true },
    ),
    yn(
      EXITS,
      'exits-clear',
      'Emergency exits and escape routes unobstructed',
      "Issues de secours et chemins d'évacuation dégagés",
      { required: true },
    ),
    yn(
      EXITS,
      'exits-open',
      'Emergency exit doors open from the inside without a key',
      "Les portes de secours s'ouvrent de l'intérieur sans clé",
      { required: true },
    ),
    yn(
      EXITS,
      'exit-signs',
      'Exit signs and emergency lighting work',
      'Signalisation des sorties et éclairage de secours fonctionnels',
    ),
    yn(
      EXITS,
      'evacuation-plan',
      'Evacuation plan posted on every floor, showing the assembly point',
      "Plan d'évacuation affiché à chaque étage, avec le point de rassemblement",
      { required: true },
    ),
    yn(
      EXITS,
      'fire-wardens',
      'Fire wardens named for every floor and present this week',
      'Guides-files et serre-files désignés à chaque étage et présents cette semaine',
    ),
    num(
      EXITS,
      'days-since-drill',
      'Days since the last evacuation drill',
      "Jours depuis le dernier exercice d'évacuation",
      'days',
      null,
      180,
    ),
    yn(
      HAZARDS,
      'electrical',
      'No overloaded sockets, chained extension leads or damaged cables',
      'Ni prises surchargées, ni rallonges en cascade, ni câbles abîmés',
      { required: true },
    ),
    yn(
      HAZARDS,
      'generator-fuel',
      'Generator fuel stored away from the building in closed, labelled containers',
      'Carburant du groupe stocké loin du bâtiment, en bidons fermés et étiquetés',
    ),
    choice(HAZARDS, 'flammables', 'Storage of flammable materials', 'Stockage des produits inflammables', [
      ['correct', 'Stored correctly', 'Stockage correct', false],
      ['minor', 'Minor issues', 'Écarts mineurs', false],
      ['unsafe', 'Unsafe', 'Dangereux', true],
    ]),
    photo(HAZARDS, 'hazard-photo', 'Photo of any hazard found', 'Photo de tout danger constaté'),
    note(HAZARDS, 'observations', 'Other observations', 'Autres observations'),
  ],
};

const HF: Sec = ['HF radio', 'Radio HF'];
const VHF: Sec = ['VHF radio', 'Radio VHF'];
const SAT: Sec = ['Satellite phone', 'Téléphone satellite'];
const TREE: Sec = ['SMS tree and contacts', 'Chaîne SMS et contacts'];
const POWER: Sec = ['Power', 'Alimentation'];

const commsTest: BuiltInTemplate = {
  key: 'emergency-comms-monthly',
  name: 'Monthly emergency-communications test',
  nameFr: "Test mensuel des communications d'urgence",
  description:
    'Monthly test of every emergency means of communication: HF and VHF radio, satellite phone, SMS tree and back-up power.',
  items: [
    yn(
      HF,
      'hf-check',
      'HF radio check completed with the base station',
      'Essai radio HF effectué avec la station de base',
      {
        required: true,
        guidance:
          'Call the regional base on the scheduled frequency at the scheduled time; log the call signs and the signal report.',
        guidanceFr:
          "Appeler la base régionale sur la fréquence et à l'heure prévues ; noter les indicatifs et le report de signal.",
      },
    ),
    note(
      HF,
      'hf-callsigns',
      'Call signs used (ours / station answering) and frequency',
      'Indicatifs utilisés (le nôtre / station qui répond) et fréquence',
      true,
    ),
    num(
      HF,
      'hf-readability',
      'HF signal report received (readability 1–5)',
      'Report de signal HF reçu (lisibilité 1 à 5)',
      '/5',
      3,
      5,
      { required: true },
    ),
    yn(
      VHF,
      'vhf-check',
      'VHF check with every handset on the office channel',
      'Essai VHF avec chaque portatif sur le canal du bureau',
      { required: true },
    ),
    num(VHF, 'vhf-failing', 'VHF handsets failing the check', 'Portatifs VHF en échec', 'handsets', 0, 0, {
      required: true,
    }),
    yn(VHF, 'vhf-repeater', 'Repeater reachable from every residence', 'Relais joignable depuis chaque résidence'),
    num(
      VHF,
      'handset-battery-lowest',
      'Lowest handset battery charge found',
      'Charge de batterie la plus basse relevée sur les portatifs',
      '%',
      70,
      100,
    ),
    yn(
      SAT,
      'satphone-call',
      'Satellite phone test call made to the HQ duty officer',
      'Appel test par téléphone satellite à la permanence du siège',
      { required: true },
    ),
    num(
      SAT,
      'satphone-battery',
      'Satellite phone battery level',
      'Niveau de batterie du téléphone satellite',
      '%',
      80,
      100,
      { required: true },
    ),
    num(SAT, 'satphone-airtime', 'Satellite airtime remaining', 'Crédit satellite restant', 'minutes', 60, null),
    num(
      TREE,
      'sms-tree-reply',
      'SMS tree test: staff who replied within 15 minutes',
      'Test de chaîne SMS : personnel ayant répondu en 15 minutes',
      '%',
      90,
      100,
      {
        required: true,
        guidance: 'Send the test message down the tree; count replies after 15 minutes and chase the missing ones.',
        guidanceFr:
          'Envoyer le message test dans la chaîne ; compter les réponses après 15 minutes et relancer les absents.',
      },
    ),
    yn(
      TREE,
      'contact-list',
      'Emergency contact list up to date and printed beside the base station',
      "Liste des contacts d'urgence à jour et imprimée près de la station de base",
      { required: true },
    ),
    yn(TREE, 'trackers', 'Satellite trackers / GPS devices working', 'Balises satellite / GPS fonctionnelles'),
    num(
      POWER,
      'ups-runtime',
      'Base station back-up power runtime',
      "Autonomie de l'alimentation de secours de la station de base",
      'hours',
      4,
      null,
    ),
    choice(
      POWER,
      'readiness',
      'Overall communications readiness',
      'Disponibilité globale des communications',
      [
        ['ready', 'Ready', 'Opérationnelle', false],
        ['degraded', 'Degraded but workable', 'Dégradée mais utilisable', false],
        ['not-ready', 'Not ready', 'Non opérationnelle', true],
      ],
      true,
    ),
    note(POWER, 'observations', 'Other observations', 'Autres observations'),
  ],
};

export const BUILT_IN_TEMPLATES: readonly BuiltInTemplate[] = [physicalSecurity, fireSafety, commsTest];
