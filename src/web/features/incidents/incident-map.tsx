import { Paper, Text } from '@mantine/core';
import { geoEqualEarth, geoPath } from 'd3-geo';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import countries110m from 'world-atlas/countries-110m.json';
import { SEVERITY_COLOR } from './incident-ui.tsx';
import type { IncidentSummary } from './incidents.api.ts';

const WIDTH = 960;
const HEIGHT = 500;

/**
 * Incidents with a geo point on a world map drawn from Natural Earth outlines shipped with the app (no tile
 * server: the office may be offline). The view zooms to the points; each point links to its incident.
 */
export default function IncidentMap({ incidents }: { incidents: IncidentSummary[] }) {
  const { t } = useTranslation();
  const points = incidents.filter(
    (i): i is IncidentSummary & { latitude: number; longitude: number } =>
      typeof i.latitude === 'number' && typeof i.longitude === 'number',
  );
  const { land, project } = useMemo(() => {
    const topo = countries110m as unknown as Topology<{ countries: GeometryCollection }>;
    const countries = feature(topo, topo.objects.countries);
    const projection = geoEqualEarth();
    if (points.length > 0) {
      // Fit the points with some margin (at least a few degrees around a single point).
      const lons = points.map((p) => p.longitude);
      const lats = points.map((p) => p.latitude);
      const pad = 4;
      const box = {
        type: 'Feature' as const,
        properties: {},
        geometry: {
          type: 'MultiPoint' as const,
          coordinates: [
            [Math.max(-180, Math.min(...lons) - pad), Math.max(-85, Math.min(...lats) - pad)],
            [Math.min(180, Math.max(...lons) + pad), Math.min(85, Math.max(...lats) + pad)],
          ],
        },
      };
      projection.fitExtent(
        [
          [20, 20],
          [WIDTH - 20, HEIGHT - 20],
        ],
        box,
      );
    } else {
      projection.fitSize([WIDTH, HEIGHT], countries);
    }
    const path = geoPath(projection);
    return {
      land: countries.features.map((f, i) => ({ key: String(f.id ?? i), d: path(f) ?? '' })),
      project: (lon: number, lat: number) => projection([lon, lat]),
    };
  }, [points]);

  return (
    <Paper withBorder radius="md" p="xs">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={t('incidents.map.label', { count: points.length })}
        style={{ width: '100%', height: 'auto', display: 'block', background: 'var(--mantine-color-blue-light)' }}
      >
        <g>
          {land.map((c) => (
            <path
              key={c.key}
              d={c.d}
              fill="var(--mantine-color-default)"
              stroke="var(--mantine-color-default-border)"
              strokeWidth={0.5}
            />
          ))}
        </g>
        <g>
          {points.map((p) => {
            const xy = project(p.longitude, p.latitude);
            if (!xy) return null;
            const color = `var(--mantine-color-${SEVERITY_COLOR[p.severity ?? 1] ?? 'gray'}-filled)`;
            return (
              <Link key={p.id} to={`/incidents/${p.id}`} aria-label={`${p.reference} ${p.title}`}>
                <circle cx={xy[0]} cy={xy[1]} r={7} fill={color} stroke="white" strokeWidth={1.5}>
                  <title>{`${p.reference} · ${p.title}`}</title>
                </circle>
              </Link>
            );
          })}
        </g>
      </svg>
      {points.length === 0 && (
        <Text fz="sm" c="dimmed" ta="center" mt="xs">
          {t('incidents.map.empty')}
        </Text>
      )}
    </Paper>
  );
}
