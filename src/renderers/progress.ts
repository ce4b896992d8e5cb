/**
 * Tailor's progress display (`application/vnd.tailor.progress+json`:
 * `{done, total, label, rate, eta}`), updated in place through `display_id`.
 */
import { MIME } from '../../kernels/protocol/index.ts';
import type { RendererFactory } from './renderer.ts';

interface Progress {
  done?: number;
  total?: number;
  label?: string;
  rate?: number;
  eta?: number;
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '';
  return s >= 60 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${s.toFixed(s < 10 ? 1 : 0)} s`;
}

export const progressRenderer: RendererFactory = {
  mimeTypes: [MIME.progress],
  rank: 5,
  safe: true,
  render(data) {
    const p = (typeof data === 'string' ? JSON.parse(data) : data) as Progress;
    const done = Number(p.done ?? 0);
    const total = Number(p.total ?? 0);
    const host = document.createElement('div');
    host.className = 'output-progress';
    const label = document.createElement('span');
    label.className = 'progress-label';
    label.textContent = p.label ?? 'Progress';
    const bar = document.createElement('progress');
    bar.max = total > 0 ? total : 1;
    bar.value = total > 0 ? Math.min(done, total) : 0;
    bar.setAttribute('aria-label', p.label ?? 'Progress');
    const figures = document.createElement('span');
    figures.className = 'progress-figures';
    const parts = [total > 0 ? `${done}/${total}` : `${done}`];
    if (p.rate !== undefined && Number.isFinite(p.rate)) parts.push(`${p.rate.toFixed(1)}/s`);
    if (p.eta !== undefined && done < total) parts.push(`ETA ${formatSeconds(p.eta)}`);
    figures.textContent = parts.join(' · ');
    host.append(label, bar, figures);
    return host;
  },
};
