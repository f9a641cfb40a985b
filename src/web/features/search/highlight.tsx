import type { TFunction } from 'i18next';
import type { SearchSegment } from '../../../shared/search/search.schemas.ts';
import classes from './search.module.css';

/** Highlighted text from the API: each segment is a text node, hits wrapped in <mark>. Never HTML. */
export function Highlight({ segments }: { segments: SearchSegment[] }) {
  return (
    <>
      {segments.map((s, i) =>
        s.hit ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional and never reordered
          <mark key={i} className={classes.hit}>
            {s.text}
          </mark>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional and never reordered
          <span key={i}>{s.text}</span>
        ),
      )}
    </>
  );
}

/** The translated name of a record type (`site` → "Site"), or the type itself when the UI does not know it. */
export function recordTypeLabel(type: string, t: TFunction, exists: (key: string) => boolean): string {
  const key = `search.types.${type}`;
  return exists(key) ? String(t(key as 'search.types.site')) : type;
}

/** Only paths inside this app are followed. */
export function safePath(link: string): string {
  return link.startsWith('/') && !link.startsWith('//') && !link.startsWith('/\\') ? link : '/';
}
