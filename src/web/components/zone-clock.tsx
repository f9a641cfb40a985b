import { Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { formatTimeInZone } from '../lib/format.ts';
import { currentLanguage } from '../lib/i18n.ts';

/** The current time in a time zone, always with the zone's IANA name; ticks every 15 seconds. */
export function ZoneClock({ timeZone }: { timeZone: string }) {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), 15_000);
    return () => window.clearInterval(timer);
  }, []);
  return (
    <Text component="span" fz="sm">
      <time dateTime={now.toISOString()}>{formatTimeInZone(now, timeZone, currentLanguage())}</time>
      <Text component="span" c="dimmed" fz="sm">
        {' '}
        ({timeZone})
      </Text>
    </Text>
  );
}
