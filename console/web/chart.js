// The ranking's chart: the team's share of replies within 5 min and within 24 h, day by
// day over the last 30 days, drawn as plain SVG (no chart library to ship or update).
import { t } from "./i18n.js";

const NS = "http://www.w3.org/2000/svg";
const W = 720, H = 200, LEFT = 38, RIGHT = 24, TOP = 10, BOTTOM = 24;

function svg(tag, attrs, text) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

// days: [{day: "YYYY-MM-DD", replies, share_within_5m, share_within_24h}], oldest first.
export function drawChart(box, days) {
  const chart = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": t("chart_label"), class: "chart-svg" });
  const x = (i) => LEFT + (days.length < 2 ? 0 : (i * (W - LEFT - RIGHT)) / (days.length - 1));
  const y = (share) => TOP + (1 - share) * (H - TOP - BOTTOM);
  for (const share of [0, 0.25, 0.5, 0.75, 1]) {
    chart.append(svg("line", { x1: LEFT, x2: W - RIGHT, y1: y(share), y2: y(share), class: "grid" }),
                 svg("text", { x: LEFT - 4, y: y(share) + 4, class: "axis", "text-anchor": "end" }, share * 100 + "%"));
  }
  days.forEach((d, i) => {
    if (i % 7 !== days.length % 7 && i !== days.length - 1) return;
    chart.append(svg("text", { x: x(i), y: H - 6, class: "axis", "text-anchor": "middle" }, d.day.slice(5)));
  });
  for (const [key, cls] of [["share_within_24h", "line-timely"], ["share_within_5m", "line-fast"]]) {
    const points = days.map((d, i) => [i, d]).filter(([, d]) => d.replies > 0);
    if (points.length > 1)
      chart.append(svg("polyline", { points: points.map(([i, d]) => `${x(i)},${y(d[key])}`).join(" "), class: cls }));
    for (const [i, d] of points) {
      const dot = svg("circle", { cx: x(i), cy: y(d[key]), r: 3, class: cls });
      dot.append(svg("title", {}, `${d.day}: ${Math.round(d[key] * 100)}% (${d.replies})`));
      chart.append(dot);
    }
  }
  const legend = document.createElement("p");
  legend.className = "legend";
  for (const [cls, key] of [["line-fast", "within_5m"], ["line-timely", "within_24h"]]) {
    const swatch = document.createElement("span");
    swatch.className = "swatch " + cls;
    legend.append(swatch, t(key) + "  ");
  }
  const empty = days.every((d) => !d.replies);
  box.replaceChildren(chart, legend);
  if (empty) {
    const p = document.createElement("p");
    p.className = "muted";
    p.textContent = t("chart_empty");
    box.append(p);
  }
}
