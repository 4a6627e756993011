// Charts through Chart.js, registered piece by piece so only what the overview draws is bundled. The canvas carries
// a text summary for screen readers; motion follows the viewer's reduced-motion setting.
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  DoughnutController,
  Legend,
  LinearScale,
  Tooltip,
} from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, DoughnutController, ArcElement, Tooltip, Legend);
Chart.defaults.font.family = getComputedStyle(document.documentElement).getPropertyValue('--font') || 'system-ui';
Chart.defaults.font.size = 12;
Chart.defaults.color = '#63767d';
Chart.defaults.borderColor = '#e3e8ea';
Chart.defaults.maintainAspectRatio = false;

export const PALETTE = [
  '#0d7a6c',
  '#1f5fc9',
  '#6a45c2',
  '#d08a0a',
  '#bf3326',
  '#2f9e8f',
  '#7b8c93',
  '#c2410c',
  '#4f7cd6',
];

export function ChartCanvas({
  config,
  summary,
  short,
}: {
  config: ChartConfiguration<'bar'> | ChartConfiguration<'doughnut'>;
  summary: string;
  short?: boolean;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  // Callers build a new config on every render; the chart is drawn again only when its data changes, so it keeps
  // the config that came with the data it shows.
  const drawn = useRef<{ data: string; config: typeof config }>();
  const data = JSON.stringify(config.data);
  if (drawn.current?.data !== data) drawn.current = { data, config };
  const shown = drawn.current.config;
  useEffect(() => {
    const reduced = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    const chart = new Chart(canvas.current!, {
      ...shown,
      options: { ...shown.options, animation: reduced ? false : shown.options?.animation },
    } as ChartConfiguration);
    return () => chart.destroy();
  }, [shown]);
  return (
    <div class={`chart${short ? ' short' : ''}`}>
      <canvas ref={canvas} role="img" aria-label={summary} />
    </div>
  );
}
