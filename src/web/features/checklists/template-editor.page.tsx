import {
  ActionIcon,
  Alert,
  Button,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconArrowDown, IconArrowUp, IconPlus, IconTrash } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import type { z } from 'zod';
import {
  ITEM_TYPES,
  type ItemType,
  type Template,
  TemplateCreateInput,
  TemplateUpdateInput,
} from '../../../shared/checklists/checklists.schemas.ts';
import { useOffices } from '../../app/office-context.tsx';
import { useSession } from '../../app/session.tsx';
import { ErrorState } from '../../components/error-state.tsx';
import { NoAccess } from '../../components/no-access.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { PageSkeleton } from '../../components/skeletons.tsx';
import { SubmitButton } from '../../components/submit-button.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { issueMessage } from '../../lib/validation.ts';
import { useSaveTemplate, useTemplate } from './checklists.api.ts';

interface OptionDraft {
  key: string;
  value: string;
  label: string;
  /** French texts are kept as they are (this form edits the English ones). */
  labelFr?: string | null;
  failing: boolean;
}
interface ItemDraft {
  /** Kept for existing items (answers refer to it); new items get one from the server. */
  id?: string | undefined;
  key: string;
  section: string;
  label: string;
  type: ItemType;
  required: boolean;
  guidance: string;
  fr?: { section: string | null; label: string | null; guidance: string | null };
  unit: string;
  min: number | string;
  max: number | string;
  options: OptionDraft[];
}

let keySeq = 0;
const newKey = () => `new-${++keySeq}`;
const blankItem = (section = ''): ItemDraft => ({
  key: newKey(),
  section,
  label: '',
  type: 'yes_no_na',
  required: false,
  guidance: '',
  unit: '',
  min: '',
  max: '',
  options: [],
});

/** A short option key from its label ("Very good" → "very-good"). */
function slug(label: string, i: number): string {
  const s = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50);
  return s || `option-${i + 1}`;
}

const orNull = (s: string) => (s.trim() === '' ? null : s.trim());
const numOrNull = (n: number | string) => (n === '' ? null : typeof n === 'number' ? n : Number(n));

function toItems(items: ItemDraft[]) {
  return items.map((d) => ({
    ...(d.id ? { id: d.id } : {}),
    section: orNull(d.section),
    label: d.label,
    type: d.type,
    required: d.required,
    guidance: orNull(d.guidance),
    ...(d.fr ? { sectionFr: d.fr.section, labelFr: d.fr.label, guidanceFr: d.fr.guidance } : {}),
    ...(d.type === 'number' ? { unit: orNull(d.unit), min: numOrNull(d.min), max: numOrNull(d.max) } : {}),
    ...(d.type === 'choice'
      ? {
          options: d.options.map((o, i) => ({
            value: o.value || slug(o.label, i),
            label: o.label,
            ...(o.labelFr ? { labelFr: o.labelFr } : {}),
            failing: o.failing,
          })),
        }
      : {}),
  }));
}

function draftsOf(template: Template | undefined): ItemDraft[] {
  if (!template) return [blankItem()];
  return template.items.map((i) => ({
    id: i.id,
    key: i.id,
    section: i.section ?? '',
    label: i.label,
    type: i.type,
    required: i.required,
    guidance: i.guidance ?? '',
    fr: { section: i.sectionFr, label: i.labelFr, guidance: i.guidanceFr },
    unit: i.unit ?? '',
    min: i.min ?? '',
    max: i.max ?? '',
    options: i.options.map((o) => ({
      key: `${i.id}-${o.value}`,
      value: o.value,
      label: o.label,
      labelFr: o.labelFr,
      failing: o.failing,
    })),
  }));
}

export function TemplateEditorPage() {
  const { id } = useParams();
  const { can } = useSession();
  const template = useTemplate(id);
  if (!can('checklist.manage')) return <NoAccess />;
  if (id && template.isPending) return <PageSkeleton />;
  if (id && template.isError) return <ErrorState error={template.error} onRetry={() => void template.refetch()} />;
  return <Editor key={template.data?.id ?? 'new'} template={template.data} />;
}

function Editor({ template }: { template: Template | undefined }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { me } = useSession();
  const { current } = useOffices();
  const save = useSaveTemplate(current?.id);
  const [name, setName] = useState(template?.name ?? '');
  const [nameFr, setNameFr] = useState(template?.nameFr ?? '');
  const [description, setDescription] = useState(template?.description ?? '');
  const [scope, setScope] = useState<'office' | 'global'>('office');
  const [items, setItems] = useState<ItemDraft[]>(() => draftsOf(template));
  const [version, setVersion] = useState(template?.version ?? 1);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [submitted, setSubmitted] = useState(false);

  const body = () => ({
    name,
    nameFr: orNull(nameFr),
    description: orNull(description),
    items: toItems(items),
  });

  const validate = (): boolean => {
    const schema = template ? TemplateUpdateInput : TemplateCreateInput;
    const parsed = (schema as z.ZodType).safeParse(template ? { ...body(), version } : body());
    if (parsed.success) {
      setErrors({});
      return true;
    }
    const out: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path.join('.');
      if (!out[key]) out[key] = issueMessage(issue, t);
    }
    setErrors(out);
    return false;
  };

  const err = (path: string) => (submitted ? errors[path] : undefined);
  const update = (key: string, change: Partial<ItemDraft>) =>
    setItems((list) => list.map((d) => (d.key === key ? { ...d, ...change } : d)));
  const move = (index: number, by: number) =>
    setItems((list) => {
      const next = [...list];
      const [it] = next.splice(index, 1);
      if (it) next.splice(index + by, 0, it);
      return next;
    });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!validate()) {
      requestAnimationFrame(() => document.querySelector<HTMLElement>('form [aria-invalid="true"]')?.focus());
      return;
    }
    const onSuccess = (saved: Template) => {
      notifications.show({ color: 'teal', message: t('checklists.templates.saved', { name: saved.name }) });
      navigate(`/inspections/templates/${saved.id}`);
    };
    if (template) save.mutate({ kind: 'update', id: template.id, body: { ...body(), version } }, { onSuccess });
    else save.mutate({ kind: scope, body: body() }, { onSuccess });
  };

  const title = template ? t('checklists.templates.editTitle', { name: template.name }) : t('checklists.templates.new');
  const conflict = isApiError(save.error) && save.error.isConflict;
  const errorList = submitted ? Object.entries(errors) : [];

  return (
    <>
      <PageHeader
        title={title}
        breadcrumbs={[
          { label: t('checklists.title'), to: '/inspections?tab=templates' },
          ...(template ? [{ label: template.name, to: `/inspections/templates/${template.id}` }] : []),
          { label: template ? t('common.edit') : t('checklists.templates.new') },
        ]}
      />
      <form onSubmit={submit} noValidate aria-label={title}>
        <Stack gap="md" maw={860}>
          {conflict ? (
            <Alert
              color="orange"
              variant="light"
              role="alert"
              icon={<IconAlertTriangle size={18} aria-hidden />}
              title={t('checklists.templates.conflictTitle')}
            >
              {t('checklists.templates.conflictText')}
              {isApiError(save.error) && save.error.currentVersion && (
                <Button
                  mt="xs"
                  size="xs"
                  display="block"
                  onClick={() => {
                    setVersion(isApiError(save.error) ? (save.error.currentVersion ?? version) : version);
                    save.reset();
                  }}
                >
                  {t('checklists.templates.overwrite')}
                </Button>
              )}
            </Alert>
          ) : (
            save.error && (
              <ProblemAlert error={save.error} fieldErrors={isApiError(save.error) ? save.error.errors : []} />
            )
          )}
          {errorList.length > 0 && (
            <Alert color="red" variant="light" role="alert" title={t('errors.invalid')}>
              {t('checklists.editor.fixErrors', { count: errorList.length })}
            </Alert>
          )}
          <Paper withBorder radius="md" p="md">
            <Stack gap="sm">
              {!template && me.allOffices && (
                <Stack gap={4}>
                  <Text id="tpl-scope" fz="sm" fw={500}>
                    {t('checklists.templates.scope')}
                  </Text>
                  <SegmentedControl
                    aria-labelledby="tpl-scope"
                    value={scope}
                    onChange={(v) => setScope(v === 'global' ? 'global' : 'office')}
                    data={[
                      { value: 'office', label: t('checklists.templates.officeNamed', { code: current?.code ?? '' }) },
                      { value: 'global', label: t('checklists.templates.global') },
                    ]}
                  />
                </Stack>
              )}
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput
                  label={t('checklists.templates.name')}
                  required
                  maxLength={200}
                  value={name}
                  onChange={(e) => setName(e.currentTarget.value)}
                  error={err('name')}
                />
                <TextInput
                  label={t('checklists.templates.nameFr')}
                  maxLength={200}
                  value={nameFr}
                  onChange={(e) => setNameFr(e.currentTarget.value)}
                  error={err('nameFr')}
                />
              </SimpleGrid>
              <Textarea
                label={t('checklists.templates.descriptionField')}
                autosize
                minRows={2}
                maxLength={2000}
                value={description}
                onChange={(e) => setDescription(e.currentTarget.value)}
                error={err('description')}
              />
            </Stack>
          </Paper>

          <Title order={2} fz="md">
            {t('checklists.editor.items', { count: items.length })}
          </Title>
          {err('items') && (
            <Text c="red" fz="sm" role="alert">
              {err('items')}
            </Text>
          )}
          {items.map((d, i) => (
            <Paper key={d.key} withBorder radius="md" p="md" component="fieldset" style={{ minWidth: 0 }}>
              <Text component="legend" fz="sm" fw={600} px={4}>
                {t('checklists.editor.itemN', { n: i + 1 })}
              </Text>
              <Stack gap="sm">
                <SimpleGrid cols={{ base: 1, sm: 2 }}>
                  <TextInput
                    label={t('checklists.editor.section')}
                    maxLength={200}
                    value={d.section}
                    onChange={(e) => update(d.key, { section: e.currentTarget.value })}
                    error={err(`items.${i}.section`)}
                  />
                  <Select
                    label={t('checklists.editor.type')}
                    allowDeselect={false}
                    data={ITEM_TYPES.map((x) => ({ value: x, label: t(`checklists.types.${x}`) }))}
                    value={d.type}
                    onChange={(v) => {
                      const type = ITEM_TYPES.find((x) => x === v) ?? 'yes_no_na';
                      update(d.key, {
                        type,
                        options:
                          type === 'choice' && d.options.length === 0
                            ? [
                                { key: newKey(), value: '', label: '', failing: false },
                                { key: newKey(), value: '', label: '', failing: true },
                              ]
                            : d.options,
                      });
                    }}
                    comboboxProps={{ withinPortal: true }}
                  />
                </SimpleGrid>
                <TextInput
                  label={t('checklists.editor.label')}
                  required
                  maxLength={500}
                  value={d.label}
                  onChange={(e) => update(d.key, { label: e.currentTarget.value })}
                  error={err(`items.${i}.label`)}
                />
                <Textarea
                  label={t('checklists.editor.guidance')}
                  autosize
                  minRows={1}
                  maxLength={2000}
                  value={d.guidance}
                  onChange={(e) => update(d.key, { guidance: e.currentTarget.value })}
                  error={err(`items.${i}.guidance`)}
                />
                {d.type === 'number' && (
                  <SimpleGrid cols={3}>
                    <TextInput
                      label={t('checklists.editor.unit')}
                      maxLength={30}
                      value={d.unit}
                      onChange={(e) => update(d.key, { unit: e.currentTarget.value })}
                      error={err(`items.${i}.unit`)}
                    />
                    <NumberInput
                      label={t('checklists.editor.min')}
                      hideControls
                      value={d.min}
                      onChange={(v) => update(d.key, { min: v })}
                      error={err(`items.${i}.min`)}
                    />
                    <NumberInput
                      label={t('checklists.editor.max')}
                      hideControls
                      value={d.max}
                      onChange={(v) => update(d.key, { max: v })}
                      error={err(`items.${i}.max`)}
                    />
                  </SimpleGrid>
                )}
                {d.type === 'choice' && (
                  <Stack gap="xs">
                    <Text fz="sm" fw={500}>
                      {t('checklists.editor.options')}
                    </Text>
                    {d.options.map((o, j) => (
                      <Group key={o.key} gap="xs" wrap="nowrap" align="flex-start">
                        <TextInput
                          aria-label={t('checklists.editor.optionN', { n: j + 1 })}
                          placeholder={t('checklists.editor.optionN', { n: j + 1 })}
                          value={o.label}
                          maxLength={200}
                          style={{ flex: 1 }}
                          onChange={(e) => {
                            const label = e.currentTarget.value;
                            update(d.key, { options: d.options.map((x, k) => (k === j ? { ...x, label } : x)) });
                          }}
                          error={err(`items.${i}.options.${j}.label`)}
                        />
                        <Checkbox
                          mt={8}
                          label={t('checklists.editor.failing')}
                          checked={o.failing}
                          onChange={(e) => {
                            const failing = e.currentTarget.checked;
                            update(d.key, { options: d.options.map((x, k) => (k === j ? { ...x, failing } : x)) });
                          }}
                        />
                        <ActionIcon
                          mt={4}
                          variant="subtle"
                          color="red"
                          aria-label={t('checklists.editor.removeOption', { n: j + 1 })}
                          onClick={() => update(d.key, { options: d.options.filter((_, k) => k !== j) })}
                        >
                          <IconTrash size={16} aria-hidden />
                        </ActionIcon>
                      </Group>
                    ))}
                    {err(`items.${i}.options`) && (
                      <Text c="red" fz="xs">
                        {err(`items.${i}.options`)}
                      </Text>
                    )}
                    <Button
                      size="xs"
                      variant="subtle"
                      leftSection={<IconPlus size={14} aria-hidden />}
                      style={{ alignSelf: 'flex-start' }}
                      onClick={() =>
                        update(d.key, {
                          options: [...d.options, { key: newKey(), value: '', label: '', failing: false }],
                        })
                      }
                    >
                      {t('checklists.editor.addOption')}
                    </Button>
                  </Stack>
                )}
                <Group justify="space-between" wrap="wrap">
                  <Switch
                    label={t('checklists.editor.required')}
                    checked={d.required}
                    onChange={(e) => update(d.key, { required: e.currentTarget.checked })}
                  />
                  <Group gap={4}>
                    <ActionIcon
                      variant="default"
                      aria-label={t('checklists.editor.moveUp', { n: i + 1 })}
                      disabled={i === 0}
                      onClick={() => move(i, -1)}
                    >
                      <IconArrowUp size={16} aria-hidden />
                    </ActionIcon>
                    <ActionIcon
                      variant="default"
                      aria-label={t('checklists.editor.moveDown', { n: i + 1 })}
                      disabled={i === items.length - 1}
                      onClick={() => move(i, 1)}
                    >
                      <IconArrowDown size={16} aria-hidden />
                    </ActionIcon>
                    <ActionIcon
                      variant="default"
                      color="red"
                      aria-label={t('checklists.editor.removeItem', { n: i + 1 })}
                      disabled={items.length === 1}
                      onClick={() => setItems((list) => list.filter((x) => x.key !== d.key))}
                    >
                      <IconTrash size={16} aria-hidden />
                    </ActionIcon>
                  </Group>
                </Group>
              </Stack>
            </Paper>
          ))}
          <Button
            variant="default"
            leftSection={<IconPlus size={16} aria-hidden />}
            style={{ alignSelf: 'flex-start' }}
            onClick={() => setItems((list) => [...list, blankItem(list[list.length - 1]?.section ?? '')])}
          >
            {t('checklists.editor.addItem')}
          </Button>
          {template && (
            <Text fz="xs" c="dimmed">
              {t('checklists.editor.versionNote')}
            </Text>
          )}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={() => navigate(-1)}>
              {t('common.cancel')}
            </Button>
            <SubmitButton loading={save.isPending}>{t('checklists.templates.save')}</SubmitButton>
          </Group>
        </Stack>
      </form>
    </>
  );
}
