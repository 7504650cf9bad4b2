// Training per board config: the table, an Elo-over-time chart per config and its promotions.
import { el, byId, fillBody, setText, clock, number, ago } from './dom.js';
import { lineChart } from './charts.js';

function eloChart(config, now) {
  const promotions = config.promotions;
  const points = promotions.map(p => [p.champion.promoted_at, p.champion.elo]);
  const start = promotions.length ? promotions[0].champion.promoted_at : now - 600;
  // Before the first promotion the config plays at its baseline; the line holds each champion's Elo until now.
  const series = [{ name: 'Elo', cls: 's-elo', marks: points, points: [...points, [now, config.current_elo]] }];
  if (promotions.length && promotions[0].previous_elo !== null) series[0].points.unshift([start - Math.max(now - start, 60) * 0.1, promotions[0].previous_elo]);
  const chart = lineChart(series, {
    title: 'Elo of ' + config.config + ' over time', width: 480, height: 170, step: true, markers: true,
    xMin: start - Math.max(now - start, 60) * 0.1, xMax: now, xLabel: clock, yLabel: y => number(y, Number.isInteger(y) ? 0 : 1),
  });
  const list = el('ol', { class: 'promotions', reversed: true, start: promotions.length }, promotions.slice(-5).reverse().map(p =>
    el('li', {}, `${clock(p.champion.promoted_at)}: Elo ${p.previous_elo === null ? '' : number(p.previous_elo, 1) + ' → '}${number(p.champion.elo, 1)} `,
      el('span', { class: 'muted mono', text: p.champion.model_path }))));
  return el('figure', { class: 'elo', data: { config: config.config } },
    el('figcaption', {}, el('strong', { text: config.config }),
      el('span', { class: 'muted', text: promotions.length ? ` · ${promotions.length} promotion${promotions.length > 1 ? 's' : ''}` : ' · no promotion yet' })),
    chart, promotions.length ? list : null);
}

/** Renders /training/status. */
export function renderTraining(status) {
  const configs = status.training?.configs ?? [];
  fillBody('training', configs.map(c => el('tr', { data: { config: c.config } },
    el('td', {}, el('strong', { text: c.config })),
    el('td', { text: number(c.current_elo, 1) }),
    el('td', { text: number(c.games_since_last_training) }),
    el('td', { text: c.hours_since_last_training === null ? 'never trained' : number(c.hours_since_last_training, 2) }),
    el('td', { title: c.reason }, el('span', { class: 'decision', text: c.decision }), el('div', { class: 'muted small', text: c.reason })),
    el('td', { text: c.training_in_flight ? 'yes' : 'no' }),
    el('td', { text: number(c.trainings_completed) }),
    el('td', { class: 'mono small', text: c.champion?.model_path ?? '–' }))));
  setText('training-note', status.training === null ? `The leader (${status.node_id}) has no training state yet.`
    : configs.length === 0 ? 'No board config is in the queue yet.'
      : `From ${status.node_id}, evaluated ${ago(status.training.evaluated_at)}.`);
  const now = Date.now() / 1000;
  byId('elo-charts').replaceChildren(...configs.map(c => eloChart(c, now)));
}
