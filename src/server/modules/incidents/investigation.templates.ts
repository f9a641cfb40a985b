import { createHash } from 'node:crypto';
import type { Executor } from '../../db/database.ts';
import type { IncidentTaskTemplateRow } from '../../db/tables/incident-investigation.ts';

/**
 * The starter catalogue of task templates per incident category (issue #5): what an officer does first
 * for a phishing e-mail, a break-in, a medical emergency… Applying a template to an incident makes these
 * tasks, due at the offset from when it is applied. Written into `incident_task_templates` when first needed.
 */

/** A fixed identifier per built-in template item (UUID-shaped, version 5 style), the same on every install. */
export function seedId(key: string): string {
  const h = createHash('sha256').update(`outpost:incident-task-template:${key}`).digest('hex');
  const variant = ((Number.parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

type Seed = [key: string, hours: number | null, priority: string, en: string, fr: string];

/** The starter catalogue of task templates (an office's officer applies them to an incident of the category). */
export const BUILT_IN_TASK_TEMPLATES: Record<string, Seed[]> = {
  'cyber:phishing': [
    [
      'reset_credentials',
      4,
      'urgent',
      'Reset the credentials of the affected accounts and end their sessions',
      'Réinitialiser les identifiants des comptes concernés et fermer leurs sessions',
    ],
    [
      'check_mail_rules',
      8,
      'high',
      'Check the mailboxes for forwarding and inbox rules set by the attacker',
      "Vérifier les boîtes aux lettres : règles de transfert et de tri posées par l'attaquant",
    ],
    [
      'block_indicators',
      4,
      'high',
      'Block the sender, the links and the attachments at the mail gateway and proxy',
      'Bloquer l’expéditeur, les liens et les pièces jointes sur la passerelle de messagerie et le proxy',
    ],
    [
      'purge_recipients',
      24,
      'high',
      'Find every recipient of the message and remove it from their mailboxes',
      'Retrouver tous les destinataires du message et le supprimer de leurs boîtes',
    ],
    [
      'report_cert',
      24,
      'normal',
      'Report to NCIA/CERT (HQ cyber security) with the indicators',
      'Signaler au NCIA/CERT (cybersécurité du siège) avec les indicateurs',
    ],
    [
      'awareness',
      72,
      'low',
      'Send staff a short awareness reminder with this example',
      'Envoyer au personnel un court rappel de sensibilisation avec cet exemple',
    ],
  ],
  'cyber:malware': [
    [
      'isolate',
      1,
      'urgent',
      'Isolate the affected device from the network (do not switch it off)',
      "Isoler l'appareil touché du réseau (sans l'éteindre)",
    ],
    [
      'acquire_image',
      8,
      'high',
      'Acquire memory and disk images before any clean-up; record their SHA-256',
      'Acquérir les images mémoire et disque avant tout nettoyage ; noter leur SHA-256',
    ],
    [
      'hunt_indicators',
      24,
      'high',
      'Search the other devices for the same indicators',
      'Rechercher les mêmes indicateurs sur les autres appareils',
    ],
    [
      'report_cert',
      24,
      'normal',
      'Report to NCIA/CERT (HQ cyber security) with the indicators',
      'Signaler au NCIA/CERT (cybersécurité du siège) avec les indicateurs',
    ],
    [
      'rebuild',
      72,
      'normal',
      'Rebuild the device and restore its data from a clean backup',
      "Réinstaller l'appareil et restaurer ses données depuis une sauvegarde saine",
    ],
  ],
  'cyber:account_compromise': [
    [
      'revoke_sessions',
      1,
      'urgent',
      'Reset the password and revoke every session and token of the account',
      'Réinitialiser le mot de passe et révoquer toutes les sessions et tous les jetons du compte',
    ],
    [
      'check_mfa',
      4,
      'high',
      "Check the account's second factors and recovery settings; remove unknown ones",
      'Vérifier les seconds facteurs et les paramètres de récupération du compte ; supprimer les inconnus',
    ],
    [
      'review_activity',
      24,
      'high',
      'Review the sign-in and activity logs for what the attacker did',
      "Examiner les journaux de connexion et d'activité pour savoir ce qu'a fait l'attaquant",
    ],
    [
      'report_cert',
      24,
      'normal',
      'Report to NCIA/CERT (HQ cyber security) with the indicators',
      'Signaler au NCIA/CERT (cybersécurité du siège) avec les indicateurs',
    ],
  ],
  'infosec:device_loss': [
    ['remote_wipe', 1, 'urgent', 'Lock or wipe the device remotely', "Verrouiller ou effacer l'appareil à distance"],
    [
      'revoke_access',
      4,
      'high',
      "Revoke the device's certificates, VPN access and account sessions",
      "Révoquer les certificats, l'accès VPN et les sessions de l'appareil",
    ],
    [
      'assess_data',
      24,
      'high',
      'Assess what data was on the device and whether it was encrypted',
      "Évaluer quelles données se trouvaient sur l'appareil et si elles étaient chiffrées",
    ],
    [
      'police_report',
      48,
      'normal',
      'File a police report (the insurer will ask for it)',
      "Déposer plainte (l'assureur la demandera)",
    ],
  ],
  'physical:theft': [
    [
      'police_report',
      24,
      'high',
      'File a police report and record its reference',
      'Déposer plainte auprès de la police et noter la référence',
    ],
    [
      'preserve_cctv',
      24,
      'high',
      'Review and preserve the CCTV recordings (export them as evidence)',
      'Examiner et conserver les enregistrements de vidéosurveillance (les exporter comme preuves)',
    ],
    [
      'inventory',
      24,
      'normal',
      'List what was stolen, with serial numbers',
      'Inventorier ce qui a été volé, avec les numéros de série',
    ],
    ['insurance', 72, 'normal', 'Open an insurance claim', 'Ouvrir un dossier auprès de l’assurance'],
  ],
  'physical:lost_badge_key': [
    [
      'deactivate',
      1,
      'urgent',
      'Deactivate the badge or key in the access control system',
      "Désactiver le badge ou la clé dans le système de contrôle d'accès",
    ],
    [
      'reissue',
      24,
      'normal',
      'Issue a replacement and update the key register',
      'Remettre un remplaçant et mettre à jour le registre des clés',
    ],
    [
      'rekey',
      72,
      'normal',
      'Change the lock or the code if the key cannot be deactivated',
      'Changer la serrure ou le code si la clé ne peut pas être désactivée',
    ],
  ],
  'safety:road_accident': [
    [
      'first_aid',
      1,
      'urgent',
      'Make sure the injured have first aid and medical care',
      "S'assurer que les blessés reçoivent les premiers secours et des soins",
    ],
    [
      'police_report',
      4,
      'high',
      'Make sure a police report is drawn up at the scene or soon after',
      "S'assurer qu'un constat de police est établi sur place ou peu après",
    ],
    [
      'vehicle',
      24,
      'normal',
      'Recover the vehicle and inform the insurer',
      "Récupérer le véhicule et prévenir l'assureur",
    ],
    [
      'driver_support',
      72,
      'normal',
      'Check on the driver and passengers and offer support',
      'Prendre des nouvelles du conducteur et des passagers et proposer un soutien',
    ],
    [
      'journey_review',
      168,
      'normal',
      'Review the journey plan and the driving rules that applied',
      'Revoir le plan de déplacement et les règles de conduite applicables',
    ],
  ],
  'physical:intrusion': [
    [
      'secure_premises',
      1,
      'urgent',
      'Secure the premises and make sure nobody is still inside',
      "Sécuriser les locaux et s'assurer que personne ne s'y trouve encore",
    ],
    [
      'preserve_cctv',
      24,
      'high',
      'Review and preserve the CCTV recordings (export them as evidence)',
      'Examiner et conserver les enregistrements de vidéosurveillance (les exporter comme preuves)',
    ],
    [
      'police_report',
      24,
      'high',
      'File a police report and record its reference',
      'Déposer plainte auprès de la police et noter la référence',
    ],
    ['inventory', 24, 'normal', 'List what is missing or damaged', 'Inventorier ce qui manque ou a été endommagé'],
    [
      'review_access',
      72,
      'normal',
      'Review locks, keys, codes and access badges; change what may be compromised',
      'Revoir serrures, clés, codes et badges ; changer ce qui peut être compromis',
    ],
    ['repair', 168, 'normal', 'Repair the point of entry', "Réparer le point d'entrée"],
  ],
  'safety:medical': [
    [
      'first_aid',
      1,
      'urgent',
      'Make sure the person has first aid and medical care',
      "S'assurer que la personne reçoit les premiers secours et des soins",
    ],
    [
      'assess_medevac',
      4,
      'high',
      'Assess with the medical adviser whether a medical evacuation is needed',
      'Évaluer avec le conseiller médical si une évacuation sanitaire est nécessaire',
    ],
    [
      'emergency_contact',
      4,
      'high',
      "Inform the person's emergency contact (with their consent where possible)",
      'Prévenir la personne à contacter en cas d’urgence (avec son accord si possible)',
    ],
    [
      'insurance',
      24,
      'high',
      'Notify the medical insurer or assistance provider',
      "Prévenir l'assureur ou la société d'assistance médicale",
    ],
    [
      'follow_up',
      168,
      'normal',
      'Follow up on recovery and the return to work',
      'Suivre le rétablissement et la reprise du travail',
    ],
  ],
};

/** Every built-in template item as a row (stable ids: the same on every installation). */
export function builtInTemplateRows(): IncidentTaskTemplateRow[] {
  return Object.entries(BUILT_IN_TASK_TEMPLATES).flatMap(([category, items]) =>
    items.map(([key, hours, priority, en, fr], i) => ({
      id: seedId(`${category}/${key}`),
      category_code: category,
      item_key: key,
      title: en,
      title_fr: fr,
      due_offset_hours: hours,
      priority,
      sort_order: i + 1,
      active: 1,
    })),
  );
}

/** Writes the built-in items that are missing (idempotent, safe when two callers race). */
export async function ensureBuiltInTaskTemplates(ex: Executor): Promise<void> {
  const rows = builtInTemplateRows();
  const have = new Set((await ex.selectFrom('incident_task_templates').select('id').execute()).map((r) => r.id));
  const missing = rows.filter((r) => !have.has(r.id));
  if (missing.length === 0) return;
  await ex
    .insertInto('incident_task_templates')
    .values(missing)
    .onConflict((oc) => oc.doNothing())
    .execute();
}
