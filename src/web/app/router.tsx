import { lazy, Suspense } from 'react';
import { createBrowserRouter } from 'react-router';
import { AppLayout } from '../components/app-layout.tsx';
import { COMING_MODULES } from './modules.ts';
import { RequireAuth, SessionSkeleton } from './require-auth.tsx';
import { RouteError } from './route-error.tsx';

// Pages load on demand so the first screen stays small.
const LoginPage = lazy(() => import('../features/auth/login.page.tsx').then((m) => ({ default: m.LoginPage })));
const ChangePasswordPage = lazy(() =>
  import('../features/auth/change-password.page.tsx').then((m) => ({ default: m.ChangePasswordPage })),
);
const ResetPasswordPage = lazy(() =>
  import('../features/auth/reset-password.page.tsx').then((m) => ({ default: m.ResetPasswordPage })),
);
const MfaVerifyPage = lazy(() =>
  import('../features/auth/mfa-verify.page.tsx').then((m) => ({ default: m.MfaVerifyPage })),
);
const MfaSetupPage = lazy(() =>
  import('../features/auth/mfa-setup.page.tsx').then((m) => ({ default: m.MfaSetupPage })),
);
const DashboardPage = lazy(() =>
  import('../features/dashboard/dashboard.page.tsx').then((m) => ({ default: m.DashboardPage })),
);
const OfficeListPage = lazy(() =>
  import('../features/offices/office-list.page.tsx').then((m) => ({ default: m.OfficeListPage })),
);
const OfficeRecordPage = lazy(() =>
  import('../features/offices/office-record.page.tsx').then((m) => ({ default: m.OfficeRecordPage })),
);
const ComingSoonPage = lazy(() =>
  import('../features/modules/coming-soon.page.tsx').then((m) => ({ default: m.ComingSoonPage })),
);
const NotFoundPage = lazy(() =>
  import('../features/modules/not-found.page.tsx').then((m) => ({ default: m.NotFoundPage })),
);
const AdminPage = lazy(() => import('../features/admin/admin.page.tsx').then((m) => ({ default: m.AdminPage })));
const AuditPage = lazy(() => import('../features/audit/audit.page.tsx').then((m) => ({ default: m.AuditPage })));
const SecurityPolicyPage = lazy(() =>
  import('../features/admin/security-policy.page.tsx').then((m) => ({ default: m.SecurityPolicyPage })),
);
const AccountPage = lazy(() =>
  import('../features/account/account.page.tsx').then((m) => ({ default: m.AccountPage })),
);
const InboxPage = lazy(() =>
  import('../features/notifications/inbox.page.tsx').then((m) => ({ default: m.InboxPage })),
);
const SearchPage = lazy(() => import('../features/search/search.page.tsx').then((m) => ({ default: m.SearchPage })));
const IntegrationsPage = lazy(() =>
  import('../features/integrations/integrations.page.tsx').then((m) => ({ default: m.IntegrationsPage })),
);

const TasksPage = lazy(() => import('../features/tasks/tasks.page.tsx').then((m) => ({ default: m.TasksPage })));
const TaskPage = lazy(() => import('../features/tasks/task.page.tsx').then((m) => ({ default: m.TaskPage })));
const ChecklistsPage = lazy(() =>
  import('../features/checklists/checklists.page.tsx').then((m) => ({ default: m.ChecklistsPage })),
);
const ChecklistTemplatePage = lazy(() =>
  import('../features/checklists/template.page.tsx').then((m) => ({ default: m.TemplatePage })),
);
const ChecklistTemplateEditorPage = lazy(() =>
  import('../features/checklists/template-editor.page.tsx').then((m) => ({ default: m.TemplateEditorPage })),
);
const ChecklistRunPage = lazy(() =>
  import('../features/checklists/run.page.tsx').then((m) => ({ default: m.RunPage })),
);

const IncidentsPage = lazy(() =>
  import('../features/incidents/incidents.page.tsx').then((m) => ({ default: m.IncidentsPage })),
);
const IncidentPage = lazy(() =>
  import('../features/incidents/incident.page.tsx').then((m) => ({ default: m.IncidentPage })),
);
const QuickReportPage = lazy(() =>
  import('../features/incidents/quick-report.page.tsx').then((m) => ({ default: m.QuickReportPage })),
);
const IncidentEscalationPage = lazy(() =>
  import('../features/incidents/escalation.page.tsx').then((m) => ({ default: m.EscalationPage })),
);
const IncidentReportTemplatePage = lazy(() =>
  import('../features/incidents/report-template.page.tsx').then((m) => ({ default: m.ReportTemplatePage })),
);
const IncidentMetricsPage = lazy(() =>
  import('../features/incidents/metrics.page.tsx').then((m) => ({ default: m.MetricsPage })),
);
const IncidentCategoriesPage = lazy(() =>
  import('../features/incidents/categories.page.tsx').then((m) => ({ default: m.CategoriesPage })),
);

export const router = createBrowserRouter([
  {
    path: '/login',
    element: (
      <Suspense fallback={<SessionSkeleton />}>
        <LoginPage />
      </Suspense>
    ),
    errorElement: <RouteError />,
  },
  {
    path: '/reset-password',
    element: (
      <Suspense fallback={<SessionSkeleton />}>
        <ResetPasswordPage />
      </Suspense>
    ),
    errorElement: <RouteError />,
  },
  {
    element: <RequireAuth />,
    errorElement: <RouteError />,
    children: [
      {
        path: '/change-password',
        element: (
          <Suspense fallback={<SessionSkeleton />}>
            <ChangePasswordPage />
          </Suspense>
        ),
      },
      {
        path: '/login/verify',
        element: (
          <Suspense fallback={<SessionSkeleton />}>
            <MfaVerifyPage />
          </Suspense>
        ),
      },
      {
        path: '/mfa/setup',
        element: (
          <Suspense fallback={<SessionSkeleton />}>
            <MfaSetupPage />
          </Suspense>
        ),
      },
      {
        element: <AppLayout />,
        children: [
          {
            // Errors inside a page keep the shell around them.
            errorElement: <RouteError />,
            children: [
              { index: true, element: <DashboardPage /> },
              { path: 'offices', element: <OfficeListPage /> },
              { path: 'offices/:id/:tab?', element: <OfficeRecordPage /> },
              ...COMING_MODULES.map((m) => ({ path: m.path, element: <ComingSoonPage moduleKey={m.key} /> })),
              { path: 'admin', element: <AdminPage /> },
              { path: 'admin/audit', element: <AuditPage /> },
              { path: 'admin/security', element: <SecurityPolicyPage /> },
              { path: 'account', element: <AccountPage /> },
              { path: 'incidents', element: <IncidentsPage /> },
              { path: 'incidents/report', element: <QuickReportPage /> },
              { path: 'report', element: <QuickReportPage /> },
              { path: 'incidents/metrics', element: <IncidentMetricsPage /> },
              { path: 'incidents/escalations', element: <IncidentEscalationPage /> },
              { path: 'incidents/report-template', element: <IncidentReportTemplatePage /> },
              { path: 'incidents/categories', element: <IncidentCategoriesPage /> },
              { path: 'incidents/:id', element: <IncidentPage /> },
              { path: 'tasks', element: <TasksPage /> },
              { path: 'tasks/:id', element: <TaskPage /> },
              { path: 'inspections', element: <ChecklistsPage /> },
              { path: 'inspections/templates/new', element: <ChecklistTemplateEditorPage /> },
              { path: 'inspections/templates/:id', element: <ChecklistTemplatePage /> },
              { path: 'inspections/templates/:id/edit', element: <ChecklistTemplateEditorPage /> },
              { path: 'inspections/runs/:id', element: <ChecklistRunPage /> },
              { path: 'inbox', element: <InboxPage /> },
              { path: 'notifications', element: <InboxPage /> },
              { path: 'search', element: <SearchPage /> },
              { path: 'admin/integrations', element: <IntegrationsPage /> },
              { path: '*', element: <NotFoundPage /> },
            ],
          },
        ],
      },
    ],
  },
]);
