import {
  Anchor,
  Box,
  Button,
  CloseButton,
  Divider,
  Group,
  Kbd,
  Loader,
  Modal,
  ScrollArea,
  Stack,
  Text,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { Fragment, type KeyboardEvent, type ReactNode, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { SearchResult } from '../../../shared/search/search.schemas.ts';
import { describeError } from '../../lib/problem-text.ts';
import { Highlight, recordTypeLabel, safePath } from './highlight.tsx';
import { cleanQuery, SEARCH_QUERY_MAX, useQuickSearch } from './search.api.ts';
import classes from './search.module.css';

export const SEARCH_DEBOUNCE_MS = 200;

interface Group_ {
  type: string;
  items: { result: SearchResult; index: number }[];
}

/** Results grouped by record type, the groups in the order of their best result. */
function groupByType(results: SearchResult[]): Group_[] {
  const groups = new Map<string, Group_>();
  results.forEach((result, index) => {
    let g = groups.get(result.entityType);
    if (!g) {
      g = { type: result.entityType, items: [] };
      groups.set(result.entityType, g);
    }
    g.items.push({ result, index });
  });
  // Renumber in display order so arrow keys follow what the eye sees.
  let i = 0;
  const out = [...groups.values()];
  for (const g of out) for (const item of g.items) item.index = i++;
  return out;
}

interface SearchDialogProps {
  opened: boolean;
  onClose: () => void;
  shortcut: string;
}

/** Spotlight-style search: results as you type, grouped by record type; arrows + Enter open, Esc closes. */
export function SearchDialog({ opened, onClose, shortcut }: SearchDialogProps) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [text, setText] = useState('');
  const [debounced] = useDebouncedValue(text, SEARCH_DEBOUNCE_MS);
  const q = cleanQuery(debounced);
  const search = useQuickSearch(q);
  const [active, setActive] = useState(0);
  const listRef = useRef<HTMLDivElement>(null);
  const baseId = useId();
  const listId = `${baseId}-results`;
  const optionId = (i: number) => `${baseId}-option-${i}`;

  const results = useMemo(() => (q && search.data ? search.data.items : []), [q, search.data]);
  const groups = useMemo(() => groupByType(results), [results]);
  const flat = useMemo(() => groups.flatMap((g) => g.items.map((x) => x.result)), [groups]);
  const showing = q.length > 0 && flat.length > 0;
  const stale = cleanQuery(text) !== q || search.isPlaceholderData;

  // A new list of results starts at the top.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on new results on purpose
  useEffect(() => setActive(0), [results]);
  // Keep the active option in view.
  useEffect(() => {
    listRef.current?.querySelector(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const close = () => {
    onClose();
  };
  const openResult = (r: SearchResult) => {
    onClose();
    setText('');
    void navigate(safePath(r.link));
  };
  const seeAll = () => {
    const query = cleanQuery(text);
    if (!query) return;
    onClose();
    void navigate(`/search?q=${encodeURIComponent(query)}`);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      if (flat.length) setActive((a) => (a + 1) % flat.length);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      if (flat.length) setActive((a) => (a - 1 + flat.length) % flat.length);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const r = flat[active];
      // Results on screen that match what is typed: open the chosen one; otherwise the full results page.
      if (r && showing && !stale) openResult(r);
      else seeAll();
    }
  };

  const typeLabel = (type: string) => recordTypeLabel(type, t, (k) => i18n.exists(k));

  let body: ReactNode;
  if (!q) {
    body = (
      <Text fz="sm" c="dimmed" p="md" ta="center">
        {t('search.hint')}
      </Text>
    );
  } else if (search.isError && !search.data) {
    const { title } = describeError(search.error, t);
    body = (
      <Stack gap={6} p="md" align="center" role="alert">
        <Text fz="sm" c="red">
          {t('search.failed')} {title}
        </Text>
        <Button variant="default" size="xs" onClick={() => void search.refetch()} loading={search.isFetching}>
          {t('common.retry')}
        </Button>
      </Stack>
    );
  } else if (search.isPending) {
    body = (
      <Group justify="center" p="md">
        <Loader size="sm" aria-label={t('common.loading')} />
      </Group>
    );
  } else if (flat.length === 0) {
    body = (
      <Text fz="sm" c="dimmed" p="md" ta="center">
        {t('search.noResults', { q })}
      </Text>
    );
  } else {
    body = (
      <div
        id={listId}
        role="listbox"
        aria-label={t('search.results')}
        ref={listRef}
        style={{ opacity: stale ? 0.6 : 1, padding: 4 }}
      >
        {groups.map((g) => (
          <Fragment key={g.type}>
            {/* biome-ignore lint/a11y/useSemanticElements: a group of options inside a listbox, not form fields */}
            <div role="group" aria-labelledby={`${baseId}-group-${g.type}`}>
              <Text
                id={`${baseId}-group-${g.type}`}
                fz={11}
                fw={700}
                tt="uppercase"
                c="dimmed"
                lts={0.4}
                px={10}
                pt={8}
                pb={2}
              >
                {typeLabel(g.type)}
              </Text>
              {g.items.map(({ result, index }) => (
                // Options are chosen with the keyboard from the input (aria-activedescendant) or by a click.
                // biome-ignore lint/a11y/useKeyWithClickEvents: the input handles the keys for the listbox
                <div
                  key={`${result.entityType}:${result.entityId}`}
                  id={optionId(index)}
                  role="option"
                  tabIndex={-1}
                  aria-selected={index === active}
                  data-index={index}
                  data-active={index === active || undefined}
                  className={classes.option}
                  onMouseMove={() => index !== active && setActive(index)}
                  onClick={() => openResult(result)}
                >
                  <Text fz="sm" fw={500} lineClamp={1} style={{ overflowWrap: 'anywhere' }}>
                    <Highlight
                      segments={
                        result.titleHighlight.length ? result.titleHighlight : [{ text: result.title, hit: false }]
                      }
                    />
                  </Text>
                  {result.snippet.length > 0 && (
                    <Text fz="xs" c="dimmed" lineClamp={2} style={{ overflowWrap: 'anywhere' }}>
                      <Highlight segments={result.snippet} />
                    </Text>
                  )}
                  <VisuallyHidden>{typeLabel(result.entityType)}</VisuallyHidden>
                </div>
              ))}
            </div>
          </Fragment>
        ))}
      </div>
    );
  }

  return (
    <Modal.Root
      opened={opened}
      onClose={close}
      size="lg"
      yOffset="8vh"
      trapFocus
      returnFocus
      transitionProps={{ duration: 100 }}
    >
      <Modal.Overlay backgroundOpacity={0.4} blur={1} />
      <Modal.Content>
        <VisuallyHidden>
          <Modal.Title>{t('search.title')}</Modal.Title>
        </VisuallyHidden>
        <Box p="sm" pb={0}>
          <TextInput
            data-autofocus
            size="md"
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            onKeyDown={onKeyDown}
            maxLength={SEARCH_QUERY_MAX}
            placeholder={t('search.placeholder')}
            aria-label={t('search.inputLabel')}
            role="combobox"
            aria-expanded={showing}
            aria-controls={showing ? listId : undefined}
            aria-autocomplete="list"
            aria-activedescendant={showing && flat[active] ? optionId(active) : undefined}
            autoComplete="off"
            spellCheck={false}
            leftSection={search.isFetching && q ? <Loader size={16} /> : <IconSearch size={18} aria-hidden />}
            rightSectionWidth={40}
            rightSection={
              text ? (
                <CloseButton aria-label={t('common.clearSearch')} onClick={() => setText('')} />
              ) : (
                <Kbd size="xs" aria-hidden>
                  Esc
                </Kbd>
              )
            }
          />
        </Box>
        <ScrollArea.Autosize mah="min(60vh, 520px)" type="auto" mt="xs">
          {body}
        </ScrollArea.Autosize>
        <VisuallyHidden role="status">
          {q && !search.isPending && !stale ? t('search.count', { count: flat.length }) : ''}
        </VisuallyHidden>
        <Divider />
        <Group justify="space-between" px="sm" py={8} gap="xs" wrap="nowrap">
          <Text fz="xs" c="dimmed" visibleFrom="xs">
            <Kbd size="xs">↑</Kbd> <Kbd size="xs">↓</Kbd> {t('search.keysMove')} · <Kbd size="xs">↵</Kbd>{' '}
            {t('search.keysOpen')} · <Kbd size="xs">Esc</Kbd> {t('search.keysClose')} · {shortcut}
          </Text>
          {cleanQuery(text) ? (
            <Anchor component={Link} to={`/search?q=${encodeURIComponent(cleanQuery(text))}`} fz="xs" onClick={close}>
              {t('search.seeAll')}
            </Anchor>
          ) : (
            <span />
          )}
        </Group>
      </Modal.Content>
    </Modal.Root>
  );
}
