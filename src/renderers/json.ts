/** `application/json`: a collapsible tree; objects and arrays past the first level start closed. */
import type { RendererFactory } from './renderer.ts';

function renderValue(value: unknown, depth: number): Node {
  if (value === null || typeof value !== 'object') {
    const span = document.createElement('span');
    span.className = `json-${value === null ? 'null' : typeof value}`;
    span.textContent = JSON.stringify(value);
    return span;
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  const details = document.createElement('details');
  details.open = depth < 1;
  const summary = document.createElement('summary');
  summary.textContent = Array.isArray(value) ? `Array(${entries.length})` : `Object {${entries.length} keys}`;
  details.append(summary);
  const list = document.createElement('ul');
  for (const [key, child] of entries) {
    const item = document.createElement('li');
    const label = document.createElement('span');
    label.className = 'json-key';
    label.textContent = `${key}: `;
    item.append(label, renderValue(child, depth + 1));
    list.append(item);
  }
  details.append(list);
  return details;
}

export const jsonRenderer: RendererFactory = {
  mimeTypes: ['application/json'],
  rank: 100,
  safe: true,
  render(data) {
    const host = document.createElement('div');
    host.className = 'output-json';
    let value = data;
    if (typeof data === 'string') {
      try {
        value = JSON.parse(data);
      } catch {
        value = data;
      }
    }
    host.append(renderValue(value, 0));
    return host;
  },
};
