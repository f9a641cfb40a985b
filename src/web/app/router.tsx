import type { ComponentType } from 'react';
import { createBrowserRouter } from 'react-router';
import { AppLayout } from '../components/app-layout.tsx';
import { PageSkeleton } from '../components/skeletons.tsx';
import { COMING_MODULES, type ModuleKey } from './modules.ts';
import { RequireAuth, SessionSkeleton } from './require-auth.tsx';
import { RouteError } from './route-error.tsx';

/**
 * A page in its own chunk, loaded by the router (route `lazy`) before it renders the route. The router starts
 * loading the first page's chunk as soon as it is created, alongside everything else the app fetches at start,
 * and shows the nearest `HydrateFallback` meanwhile: no Suspense fallback in between (React holds back content
 * revealed after a Suspense fallback for up to 300 ms). In-app navigations keep the current page until the next
 * one is loaded, as before.
 */
function page(load: () => Promise<ComponentType>) {
  return () => load().then((Component) => ({ Component }));
}

const loginPage = page(() => import('../features/auth/login.page.tsx').then((m) => m.LoginPage));
const changePasswordPage = page(() =>
  import('../features/auth/change-password.page.tsx').then((m) => m.ChangePasswordPage),
);
const resetPasswordPage = page(() =>
  import('../features/auth/reset-password.page.tsx').then((m) => m.ResetPasswordPage),
);
const mfaVerifyPage = page(() => import('../features/auth/mfa-verify.page.tsx').then((m) => m.MfaVerifyPage));
const mfaSetupPage = page(() => import('../features/auth/mfa-setup.page.tsx').then((m) => m.MfaSetupPage));
const dashboardPage = page(() => import('../features/dashboard/dashboard.page.tsx').then((m) => m.DashboardPage));
const officeListPage = page(() => import('../features/offices/office-list.page.tsx').then((m) => m.OfficeListPage));
const officeRecordPage = page(() =>
  import('../features/offices/office-record.page.tsx').then((m) => m.OfficeRecordPage),
);
const notFoundPage = page(() => import('../features/modules/not-found.page.tsx').then((m) => m.NotFoundPage));
const adminPage = page(() => import('../features/admin/admin.page.tsx').then((m) => m.AdminPage));
const auditPage = page(() => import('../features/audit/audit.page.tsx').then((m) => m.AuditPage));
const securityPolicyPage = page(() =>
  import('../features/admin/security-policy.page.tsx').then((m) => m.SecurityPolicyPage),
);
const accountPage = page(() => import('../features/account/account.page.tsx').then((m) => m.AccountPage));
const inboxPage = page(() => import('../features/notifications/inbox.page.tsx').then((m) => m.InboxPage));
const searchPage = page(() => import('../features/search/search.page.tsx').then((m) => m.SearchPage));
const integrationsPage = page(() =>
  import('../features/integrations/integrations.page.tsx').then((m) => m.IntegrationsPage),
);

const tasksPage = page(() => import('../features/tasks/tasks.page.tsx').then((m) => m.TasksPage));
const taskPage = page(() => import('../features/tasks/task.page.tsx').then((m) => m.TaskPage));
const checklistsPage = page(() => import('../features/checklists/checklists.page.tsx').then((m) => m.ChecklistsPage));
const checklistTemplatePage = page(() =>
  import('../features/checklists/template.page.tsx').then((m) => m.TemplatePage),
);
const checklistTemplateEditorPage = page(() =>
  import('../features/checklists/template-editor.page.tsx').then((m) => m.TemplateEditorPage),
);
const checklistRunPage = page(() => import('../features/checklists/run.page.tsx').then((m) => m.RunPage));

const incidentsPage = page(() => import('../features/incidents/incidents.page.tsx').then((m) => m.IncidentsPage));
const incidentPage = page(() => import('../features/incidents/incident.page.tsx').then((m) => m.IncidentPage));
const quickReportPage = page(() =>
  import('../features/incidents/quick-report.page.tsx').then((m) => m.QuickReportPage),
);
const incidentEscalationPage = page(() =>
  import('../features/incidents/escalation.page.tsx').then((m) => m.EscalationPage),
);
const incidentReportTemplatePage = page(() =>
  import('../features/incidents/report-template.page.tsx').then((m) => m.ReportTemplatePage),
);
const incidentMetricsPage = page(() => import('../features/incidents/metrics.page.tsx').then((m) => m.MetricsPage));
const incidentCategoriesPage = page(() =>
  import('../features/incidents/categories.page.tsx').then((m) => m.CategoriesPage),
);

/** The placeholder page of a module still to come. */
function comingSoonPage(moduleKey: ModuleKey) {
  return () =>
    import('../features/modules/coming-soon.page.tsx').then(({ ComingSoonPage }) => ({
      element: <ComingSoonPage moduleKey={moduleKey} />,
    }));
}

export const router = createBrowserRouter([
  {
    path: '/login',
    lazy: loginPage,
    HydrateFallback: SessionSkeleton,
    errorElement: <RouteError />,
  },
  {
    path: '/reset-password',
    lazy: resetPasswordPage,
    HydrateFallback: SessionSkeleton,
    errorElement: <RouteError />,
  },
  {
    element: <RequireAuth />,
    HydrateFallback: SessionSkeleton,
    errorElement: <RouteError />,
    children: [
      { path: '/change-password', lazy: changePasswordPage },
      { path: '/login/verify', lazy: mfaVerifyPage },
      { path: '/mfa/setup', lazy: mfaSetupPage },
      {
        element: <AppLayout />,
        children: [
          {
            // Errors inside a page keep the shell around them; so does the first page loading.
            errorElement: <RouteError />,
            HydrateFallback: PageSkeleton,
            children: [
              { index: true, lazy: dashboardPage },
              { path: 'offices', lazy: officeListPage },
              { path: 'offices/:id/:tab?', lazy: officeRecordPage },
              ...COMING_MODULES.map((m) => ({ path: m.path, lazy: comingSoonPage(m.key) })),
              { path: 'admin', lazy: adminPage },
              { path: 'admin/audit', lazy: auditPage },
              { path: 'admin/security', lazy: securityPolicyPage },
              { path: 'account', lazy: accountPage },
              { path: 'incidents', lazy: incidentsPage },
              { path: 'incidents/report', lazy: quickReportPage },
              { path: 'report', lazy: quickReportPage },
              { path: 'incidents/metrics', lazy: incidentMetricsPage },
              { path: 'incidents/escalations', lazy: incidentEscalationPage },
              { path: 'incidents/report-template', lazy: incidentReportTemplatePage },
              { path: 'incidents/categories', lazy: incidentCategoriesPage },
              { path: 'incidents/:id', lazy: incidentPage },
              { path: 'tasks', lazy: tasksPage },
              { path: 'tasks/:id', lazy: taskPage },
              { path: 'inspections', lazy: checklistsPage },
              { path: 'inspections/templates/new', lazy: checklistTemplateEditorPage },
              { path: 'inspections/templates/:id', lazy: checklistTemplatePage },
              { path: 'inspections/templates/:id/edit', lazy: checklistTemplateEditorPage },
              { path: 'inspections/runs/:id', lazy: checklistRunPage },
              { path: 'inbox', lazy: inboxPage },
              { path: 'notifications', lazy: inboxPage },
              { path: 'search', lazy: searchPage },
              { path: 'admin/integrations', lazy: integrationsPage },
              { path: '*', lazy: notFoundPage },
            ],
          },
        ],
      },
    ],
  },
]);
