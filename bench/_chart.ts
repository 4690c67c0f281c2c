/**
 * The SVG chart of scenario a: deliveries/s and p99 latency by client count, one line per peer.
 *
 * @module
 */

import type { BenchReport } from "./_report.ts";
import { PEER_NAMES, type PeerName } from "./_types.ts";

const COLORS: Record<PeerName, string> = {
  ours: "#d62728",
  "ours-mem": "#ff9896",
  ncat: "#1f77b4",
  redis: "#2ca02c",
};
const PANEL_WIDTH = 420;
const PANEL_HEIGHT = 280;
const MARGIN = { left: 70, right: 20, top: 40, bottom: 50 };

interface Series {
  peer: PeerName;
  points: { clients: number; value: number }[];
}

function escape(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * power >= value) return step * power;
  }
  return 10 * power;
}

function panel(
  x0: number,
  title: string,
  unit: (v: number) => string,
  series: Series[],
  counts: number[],
): string {
  const width = PANEL_WIDTH - MARGIN.left - MARGIN.right;
  const height = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const left = x0 + MARGIN.left;
  const top = MARGIN.top;
  const maxValue = niceMax(Math.max(0, ...series.flatMap((s) => s.points.map((p) => p.value))));
  const logs = counts.map((c) => Math.log10(c));
  const minLog = Math.min(...logs);
  const spanLog = Math.max(...logs) - minLog || 1;
  const px = (clients: number) =>
    counts.length === 1
      ? left + width / 2
      : left + ((Math.log10(clients) - minLog) / spanLog) * width;
  const py = (value: number) => top + height - (value / maxValue) * height;
  const parts: string[] = [
    `<text x="${left + width / 2}" y="${top - 15}" text-anchor="middle" font-weight="bold">${
      escape(title)
    }</text>`,
    `<line x1="${left}" y1="${top + height}" x2="${left + width}" y2="${
      top + height
    }" stroke="#333"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${top + height}" stroke="#333"/>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const value = (maxValue * i) / 4;
    const y = py(value);
    parts.push(
      `<line x1="${left}" y1="${y}" x2="${left + width}" y2="${y}" stroke="#ddd"/>`,
      `<text x="${left - 6}" y="${y + 4}" text-anchor="end" font-size="11">${
        escape(unit(value))
      }</text>`,
    );
  }
  for (const c of counts) {
    parts.push(
      `<text x="${px(c)}" y="${top + height + 18}" text-anchor="middle" font-size="11">${c}</text>`,
    );
  }
  parts.push(
    `<text x="${left + width / 2}" y="${
      top + height + 38
    }" text-anchor="middle" font-size="12">clients</text>`,
  );
  for (const s of series) {
    if (s.points.length === 0) continue;
    const path = s.points.map((p) => `${px(p.clients).toFixed(1)},${py(p.value).toFixed(1)}`);
    parts.push(
      `<polyline fill="none" stroke="${COLORS[s.peer]}" stroke-width="2" points="${
        path.join(" ")
      }"/>`,
    );
    for (const p of s.points) {
      parts.push(
        `<circle cx="${px(p.clients).toFixed(1)}" cy="${py(p.value).toFixed(1)}" r="3.5" fill="${
          COLORS[s.peer]
        }"/>`,
      );
    }
  }
  return parts.join("\n");
}

/**
 * Draws deliveries/s and p99 latency of the throughput cases by client count.
 *
 * @param report A finished run.
 * @returns An SVG document.
 */
export function renderChart(report: BenchReport): string {
  const cases = report.cases.filter((c) => c.spec.scenario === "a");
  const counts = cases.map((c) => c.spec.clients);
  const seriesOf = (
    pick: (r: { deliveriesPerSec: number; p99Ms: number | null }) => number | null,
  ) =>
    PEER_NAMES.map((peer): Series => ({
      peer,
      points: cases.flatMap((c) => {
        const r = c.results[peer];
        const value = r && r.status === "ok" ? pick(r) : null;
        return value === null ? [] : [{ clients: c.spec.clients, value }];
      }),
    }));
  const width = PANEL_WIDTH * 2;
  const height = PANEL_HEIGHT + 40;
  const body = counts.length === 0
    ? `<text x="${width / 2}" y="${height / 2}" text-anchor="middle">Scenario a was not run</text>`
    : [
      panel(
        0,
        "Deliveries per second",
        (v) => v >= 1e6 ? `${(v / 1e6).toFixed(1)}M` : `${(v / 1e3).toFixed(0)}k`,
        seriesOf((r) => r.deliveriesPerSec),
        counts,
      ),
      panel(
        PANEL_WIDTH,
        "p99 latency (ms)",
        (v) => v.toFixed(v < 10 ? 1 : 0),
        seriesOf((r) => r.p99Ms),
        counts,
      ),
    ].join("\n");
  const legend = PEER_NAMES.map((peer, i) => {
    const x = 80 + i * 120;
    return `<rect x="${x}" y="${height - 22}" width="14" height="14" fill="${COLORS[peer]}"/>` +
      `<text x="${x + 20}" y="${height - 10}" font-size="12">${peer}</text>`;
  }).join("\n");
  const caption = `${
    escape(report.date.slice(0, 10))
  }, ${report.options.lineBytes}-byte lines, window ${report.options.window}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    body,
    legend,
    `<text x="${width - 10}" y="${
      height - 10
    }" text-anchor="end" font-size="11" fill="#555">${caption}</text>`,
    `</svg>`,
    "",
  ].join("\n");
}
