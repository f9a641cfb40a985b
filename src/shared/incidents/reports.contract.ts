import { z } from 'zod';
import { IdParamsSchema, IdSchema } from '../common/common.schemas.ts';
import { defineContract } from '../contract.ts';
import {
  AdvisoryQuery,
  AdvisorySchema,
  IncidentExportInput,
  ReportLangQuery,
  ReportTemplateInput,
  ReportTemplateSchema,
  StatisticsQuery,
  StixBundleSchema,
} from './reports.schemas.ts';

const tags = ['incidents'];
const OfficeParams = z.strictObject({ officeId: IdSchema });
const Binary = z.unknown().describe('The file itself (binary)');

export const incidentReportPdf = defineContract({
  method: 'GET',
  path: '/api/v1/incidents/:id/report.pdf',
  permission: 'incident.read',
  officeFrom: 'record',
  operationId: 'incidentReportPdf',
  summary:
    "The incident report as PDF, from the office's report template (sections, header, classification line); `lang` en|fr, default the caller's language",
  tags,
  params: IdParamsSchema,
  query: ReportLangQuery,
  response: Binary,
});

export const incidentReportDocx = defineContract({
  method: 'GET',
  path: '/api/v1/incidents/:id/report.docx',
  permission: 'incident.read',
  officeFrom: 'record',
  operationId: 'incidentReportDocx',
  summary: 'The incident report as an editable Word document (DOCX), same content as the PDF',
  tags,
  params: IdParamsSchema,
  query: ReportLangQuery,
  response: Binary,
});

export const incidentAdvisory = defineContract({
  method: 'GET',
  path: '/api/v1/incidents/:id/advisory',
  permission: 'incident.read',
  officeFrom: 'record',
  operationId: 'incidentAdvisory',
  summary:
    'A redacted staff advisory generated from the incident (TLP:CLEAR or GREEN; no names, persons, reporter, address or personal observables), as JSON with a Markdown rendering',
  tags,
  params: IdParamsSchema,
  query: AdvisoryQuery,
  response: AdvisorySchema,
});

export const incidentAdvisoryPdf = defineContract({
  method: 'GET',
  path: '/api/v1/incidents/:id/advisory.pdf',
  permission: 'incident.read',
  officeFrom: 'record',
  operationId: 'incidentAdvisoryPdf',
  summary: 'The redacted staff advisory as PDF',
  tags,
  params: IdParamsSchema,
  query: AdvisoryQuery,
  response: Binary,
});

export const incidentStix = defineContract({
  method: 'GET',
  path: '/api/v1/incidents/:id/stix',
  permission: 'incident.read',
  officeFrom: 'record',
  operationId: 'incidentStix',
  summary:
    'The incident as a STIX 2.1 bundle (incident with the OASIS Incident Core extension, office identity, location, observables, course of action, TLP 2.0 marking); never person records',
  tags,
  params: IdParamsSchema,
  response: StixBundleSchema,
});

export const exportIncidents = defineContract({
  method: 'POST',
  path: '/api/v1/incidents/export',
  permission: 'incident.read',
  operationId: 'exportIncidents',
  summary:
    'Export a selection (`ids`; an id the caller cannot see is a 404) or a filter (only incidents the caller may see; more than 1,000 is a 400 asking to narrow it, never a cut-short file) as a STIX 2.1 bundle, MISP event JSON, or AWSD-coded CSV (personnel-safety incidents)',
  tags,
  body: IncidentExportInput,
  response: Binary,
});

export const incidentStatisticsPdf = defineContract({
  method: 'GET',
  path: '/api/v1/offices/:officeId/incident-statistics.pdf',
  permission: 'incident.read',
  officeFrom: 'officeId',
  operationId: 'incidentStatisticsPdf',
  summary:
    'Monthly or annual incident statistics for an office as PDF: counts by category, severity and domain, median times to acknowledge, contain, notify HQ and close (default: the current month)',
  tags,
  params: OfficeParams,
  query: StatisticsQuery,
  response: Binary,
});

export const getIncidentReportTemplate = defineContract({
  method: 'GET',
  path: '/api/v1/offices/:officeId/incident-report-template',
  permission: 'incident.read',
  officeFrom: 'officeId',
  operationId: 'getIncidentReportTemplate',
  summary: "The office's incident report template (the default one, version 0, until the office saves its own)",
  tags,
  params: OfficeParams,
  response: ReportTemplateSchema,
});

export const putIncidentReportTemplate = defineContract({
  method: 'PUT',
  path: '/api/v1/offices/:officeId/incident-report-template',
  permission: 'incident.manage',
  officeFrom: 'officeId',
  operationId: 'putIncidentReportTemplate',
  summary:
    "Change the office's incident report template: header, footer/classification line, sections (version 0 the first time; a stale version is a 409)",
  tags,
  params: OfficeParams,
  body: ReportTemplateInput,
  response: ReportTemplateSchema,
});
