// @ts-check
/** The shop's figures for a day or a range of days in its time zone, from /v1/stats. */
import { api, ApiError, byId, el } from './api.js';

/** @typedef {{ p50: number | null, p95: number | null, n: number }} Percentiles */
/** @typedef {{ asked: number, answered: number, average: number | null }} Satisfaction */
/**
 * @typedef {{ answered: number, resolved: number, open: number, notResolved: { handoff: number, unhappy: number, clarify: number },
 *   involvementRate: number | null, resolutionRate: number | null }} BotFigures
 * @typedef {{ from: string, to: string, timeZone: string, conversations: number, autoResolutionRate: number | null,
 *   activeConversations: number, bot: BotFigures, notUnderstood: { clarifyingQuestions: number, secondMisses: number },
 *   handoffRate: number | null, botResponseMs: Percentiles, agentPickupMs: Percentiles, agentFirstReplyMs: Percentiles,
 *   waitingNow: { buyers: number, over100s: number, over3min: number, longestSeconds: number },
 *   agentReplyBreaches: { over100s: number, over3min: number }, reminders: { sent: number, skipped: number, skippedBy: Record<string, number>, conversionRate: number | null },
 *   satisfaction: Satisfaction & { agents: Satisfaction, bot: Satisfaction, byAgent: Record<string, Satisfaction> },
 *   agents: Record<string, { handled: number, handlingMsAverage: number | null, firstAnswers: number, firstAnswerMsAverage: number | null }>,
 *   messagesPerHour: { hour: string, messages: number, handoffs: number }[], intents: Record<string, number>,
 *   agentFirstReplyWaits: { under30s: number, under100s: number, under3min: number, over3min: number },
 *   handoffReasons: Record<string, number>, messagesByChannel: Record<string, number>, definitions: Record<string, string> }} Stats
 */

let token = sessionStorage.getItem('xiaoer-admin-token') ?? '';
/** @param {number | null | undefined} x */
const pct = (x) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)} %`);
/** @param {number | null | undefined} x */
const ms = (x) => (x === null || x === undefined ? '—' : x < 1000 ? `${x} ms` : `${(x / 1000).toFixed(1)} s`);
/** @param {string} id */
const input = (id) => /** @type {HTMLInputElement} */ (byId(id));

/** @param {string} target @param {Record<string, number>} counts @param {boolean} [sorted] largest first; else in the order given */
function bars(target, counts, sorted = true) {
  const entries = Object.entries(counts);
  if (sorted) entries.sort((a, b) => b[1] - a[1]);
  const max = Math.max(1, ...entries.map(([, n]) => n));
  byId(target).replaceChildren(
    ...entries.map(([name, n]) => {
      const fill = el('div', { className: 'fill' });
      fill.style.width = `${(100 * n) / max}%`;
      return el('div', { className: 'bar' }, el('span', { textContent: name }), el('div', {}, fill), el('span', { textContent: String(n) }));
    }),
  );
}

/** The shop's time zone (SHOP_TZ): the figures are its days and hours. */
let zone = '';

/** @param {Stats['messagesPerHour']} points */
function hourly(points) {
  const svg = byId('hourly');
  const width = svg.clientWidth || 400;
  const top = 14;
  const bottom = 150;
  const ns = 'http://www.w3.org/2000/svg';
  /** @param {string} tag @param {Record<string, string | number>} attrs @param {string} [text] */
  const node = (tag, attrs, text) => {
    const n = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
    if (text !== undefined) n.textContent = text;
    return n;
  };
  // One bar per hour of the shop's day (one day shown), or per hour with messages (a range).
  const first = points[0];
  const oneDay = !first || points.every((p) => p.hour.slice(0, 10) === first.hour.slice(0, 10));
  const slots = oneDay
    ? Array.from({ length: 24 }, (_, h) => {
        const hh = String(h).padStart(2, '0');
        const found = points.find((p) => p.hour.slice(11) === hh);
        return { label: hh, hour: (first ? `${first.hour.slice(0, 10)} ` : '') + hh, messages: found ? found.messages : 0, handoffs: found ? found.handoffs : 0 };
      })
    : points.map((p) => ({ label: `${p.hour.slice(5, 10)} ${p.hour.slice(11)}`, hour: p.hour.replace('T', ' '), messages: p.messages, handoffs: p.handoffs }));
  const max = Math.max(1, ...slots.map((p) => p.messages));
  const left = 28;
  const w = (width - left) / Math.max(1, slots.length);
  const children = [
    node('line', { x1: left, y1: bottom, x2: width, y2: bottom, stroke: '#999' }),
    node('text', { x: left - 4, y: top + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#555' }, String(max)),
    node('text', { x: left - 4, y: bottom, 'text-anchor': 'end', 'font-size': 11, fill: '#555' }, '0'),
  ];
  slots.forEach((p, i) => {
    const h = (p.messages / max) * (bottom - top);
    const rect = node('rect', { class: 'messages', x: left + i * w + 1, y: bottom - h, width: Math.max(1, w - 2), height: h, fill: '#ff8a50' });
    rect.append(node('title', {}, `${p.hour}:00 (${zone}) — ${p.messages}`));
    children.push(rect);
    // Hand-offs of that hour, on the same scale, as a dark bar inside it.
    const hh = (p.handoffs / max) * (bottom - top);
    if (p.handoffs > 0) {
      const handed = node('rect', { class: 'handoffs', x: left + i * w + w / 4, y: bottom - hh, width: Math.max(1, w / 2 - 1), height: hh, fill: '#8a1c00' });
      handed.append(node('title', {}, `${p.hour}:00 (${zone}) — ${p.handoffs} hand-offs`));
      children.push(handed);
    }
    if (!oneDay || i % 3 === 0)
      children.push(node('text', { x: left + i * w + w / 2, y: bottom + 14, 'text-anchor': 'middle', 'font-size': 11, fill: '#555' }, p.label));
  });
  children.push(node('text', { x: width, y: bottom + 28, 'text-anchor': 'end', 'font-size': 11, fill: '#555' }, `hour (${zone})`));
  children.push(node('rect', { class: 'legend', x: left, y: bottom + 20, width: 10, height: 10, fill: '#ff8a50' }));
  children.push(node('text', { x: left + 14, y: bottom + 29, 'font-size': 11, fill: '#555' }, 'buyer messages'));
  children.push(node('rect', { class: 'legend', x: left + 110, y: bottom + 20, width: 10, height: 10, fill: '#8a1c00' }));
  children.push(node('text', { x: left + 124, y: bottom + 29, 'font-size': 11, fill: '#555' }, 'hand-offs'));
  svg.replaceChildren(...children);
}

async function load() {
  byId('error').textContent = '';
  // The days in the shop's time zone; one of them alone is that day; neither is today.
  const from = input('from').value;
  const to = input('to').value;
  const range = from || to ? `?from=${from || to}&to=${to || from}` : '';
  /** @type {Stats} */
  let s;
  try {
    s = await api(`/v1/stats${range}`, { token });
  } catch (err) {
    const status = err instanceof ApiError ? err.status : 0;
    byId('error').textContent =
      status === 401 ? 'wrong admin token' : status === 400 ? 'pick a range of up to 92 days, from before to' : 'could not load stats';
    return;
  }
  sessionStorage.setItem('xiaoer-admin-token', token);
  /** @param {Satisfaction} x */
  const rating = (x) => (x.average === null ? '—' : `${x.average} (${x.answered}/${x.asked})`);
  const tiles = [
    ['conversations (new / active)', `${s.conversations} / ${s.activeConversations}`],
    [`bot involvement: answered ${s.bot.answered} of ${s.activeConversations}`, pct(s.bot.involvementRate)],
    [`bot resolution: ${s.bot.resolved} resolved of ${s.bot.answered - s.bot.open} settled; ${s.bot.open} still open (under 30 min)`, pct(s.bot.resolutionRate)],
    ['answered but not resolved: hand-off · unhappy · clarifying question unanswered', `${s.bot.notResolved.handoff} · ${s.bot.notResolved.unhappy} · ${s.bot.notResolved.clarify}`],
    ['automation (involvement × resolution)', pct(s.autoResolutionRate)],
    ['not understood: clarifying questions · second misses', `${s.notUnderstood.clarifyingQuestions} · ${s.notUnderstood.secondMisses}`],
    ['hand-off rate', pct(s.handoffRate)],
    ['bot first response p50 / p95', `${ms(s.botResponseMs.p50)} / ${ms(s.botResponseMs.p95)}`],
    ['agent pickup p50 / p95', `${ms(s.agentPickupMs.p50)} / ${ms(s.agentPickupMs.p95)}`],
    ['agent first answer p50 / p95', `${ms(s.agentFirstReplyMs.p50)} / ${ms(s.agentFirstReplyMs.p95)}`],
    ['waited over 100 s / 3 min', `${s.agentReplyBreaches.over100s} / ${s.agentReplyBreaches.over3min}`],
    ['waiting now (over 3 min)', `${s.waitingNow.buyers} (${s.waitingNow.over3min})`],
    ['satisfaction with agents (1–5; answered/asked)', rating(s.satisfaction.agents)],
    ['satisfaction with the bot (1–5; answered/asked)', rating(s.satisfaction.bot)],
    ['reminders sent', s.reminders.sent],
    ['reminders skipped', `${s.reminders.skipped}${Object.keys(s.reminders.skippedBy).length ? ` (${Object.entries(s.reminders.skippedBy).map(([why, n]) => `${why}: ${n}`).join('; ')})` : ''}`],
    ['reminder conversion', pct(s.reminders.conversionRate)],
  ];
  byId('tiles').replaceChildren(
    ...tiles.map(([label, value]) => el('div', { className: 'tile' }, el('b', { textContent: String(value) }), el('span', { textContent: String(label) }))),
  );
  zone = s.timeZone;
  byId('glance').textContent = range ? `At a glance: ${s.from === s.to ? s.from : `${s.from} – ${s.to}`}` : `Today at a glance (${s.from})`;
  byId('hourly-day').textContent = s.from === s.to ? s.from : `${s.from} – ${s.to}`;
  hourly(s.messagesPerHour);
  bars('intents', s.intents);
  const w = s.agentFirstReplyWaits;
  bars('waits', { 'under 30 s': w.under30s, '30–100 s': w.under100s, '100 s – 3 min': w.under3min, '3 min or more': w.over3min, 'still waiting now': s.waitingNow.buyers }, false);
  bars('reasons', s.handoffReasons);
  bars('channels', s.messagesByChannel);
  const names = [...new Set([...Object.keys(s.agents), ...Object.keys(s.satisfaction.byAgent)])].sort();
  const head = el('tr', {}, ...['agent', 'resolved', 'handling (mean)', 'first answers', 'first answer (mean)', 'satisfaction'].map((h) => el('th', { textContent: h })));
  byId('agents').replaceChildren(
    head,
    ...names.map((name) => {
      const a = s.agents[name];
      const sat = s.satisfaction.byAgent[name];
      return el('tr', {}, ...[name, String(a?.handled ?? 0), ms(a?.handlingMsAverage), String(a?.firstAnswers ?? 0), ms(a?.firstAnswerMsAverage), sat?.average == null ? '—' : `${sat.average} (${sat.answered})`].map((v) => el('td', { textContent: v })));
    }),
  );
  byId('definitions').replaceChildren(
    ...Object.entries(s.definitions).flatMap(([k, v]) => [el('dt', { textContent: k }), el('dd', { textContent: v })]),
  );
}

/** @typedef {{ text: string, count: number, intent: string, reason: string, lastAt: string, similar?: string[] }} Unanswered */
/** @typedef {{ id: string, name: Record<string, string | undefined> }} ProductChoice */

/** @type {ProductChoice[]} */
let products = [];
/** The intents a question may be labelled with (CONTRACT.md). */
const INTENTS = ['greeting', 'product.size', 'product.fabric', 'product.stock', 'product.price', 'product.info', 'price.discount', 'shipping.time', 'shipping.courier', 'order.cancel', 'order.change', 'order.payment', 'order.logistics', 'invoice', 'return.howto', 'human.request', 'complaint', 'thanks', 'None'];

/** @param {string} text @returns {'zh' | 'en' | 'es'} */
const guessLanguage = (text) => (/[\u4e00-\u9fff]/.test(text) ? 'zh' : /[¿¡ñáéíóú]/i.test(text) ? 'es' : 'en');

/** @param {Unanswered} q */
function questionCard(q) {
  const product = el('select', { name: 'product' }, el('option', { value: '', textContent: 'the whole shop' }),
    ...products.map((p) => el('option', { value: p.id, textContent: p.name.zh ?? p.name.en ?? p.id })));
  const language = el('select', { name: 'language' }, ...['zh', 'en', 'es'].map((l) => el('option', { value: l, textContent: `asked in ${l}` })));
  language.value = guessLanguage(q.text);
  const zh = el('textarea', { name: 'zh', required: true, placeholder: '答案（中文，必填）' });
  const en = el('input', { name: 'en', placeholder: 'answer in English (optional)' });
  const es = el('input', { name: 'es', placeholder: 'respuesta en español (opcional)' });
  const status = el('span', { className: 'wide', role: 'status' });
  const submit = el('button', { type: 'submit', textContent: 'Add as FAQ' });
  const form = el('form', { className: 'faq' }, product, language, zh, en, es, submit, status);
  form.onsubmit = async (e) => {
    e.preventDefault();
    status.textContent = '';
    submit.disabled = true;
    try {
      await api('/v1/admin/faq', {
        token,
        body: {
          ...(product.value ? { productId: product.value } : {}),
          question: q.text,
          language: language.value,
          answer: { zh: zh.value.trim(), ...(en.value.trim() ? { en: en.value.trim() } : {}), ...(es.value.trim() ? { es: es.value.trim() } : {}) },
        },
      });
      status.className = 'wide done';
      status.textContent = 'Added: the next buyer who asks gets this answer.';
    } catch (err) {
      status.className = 'wide error';
      const rule = err instanceof ApiError ? /** @type {{ message?: string }[]} */ (err.details).map((d) => d.message).filter(Boolean).join('; ') : '';
      status.textContent = `Not added: ${err instanceof ApiError ? err.message : 'network problem'}${rule ? ` (${rule})` : ''}`;
    } finally {
      submit.disabled = false;
    }
  };
  // Or: what it meant, for the corpus review (npm run export-labels), with the agents' corrected intents.
  const intent = el('select', { name: 'intent' }, ...INTENTS.map((i) => el('option', { value: i, textContent: i })));
  intent.value = INTENTS.includes(q.intent) ? q.intent : 'None';
  const labelStatus = el('span', { role: 'status' });
  const labelButton = el('button', { type: 'submit', className: 'secondary', textContent: 'Send to labelling' });
  const labelForm = el('form', { className: 'label' }, intent, labelButton, labelStatus);
  labelForm.onsubmit = async (e) => {
    e.preventDefault();
    labelStatus.textContent = '';
    try {
      await api('/v1/admin/labels', { token, body: { text: q.text, intent: intent.value, language: language.value } });
      labelStatus.className = 'done';
      labelStatus.textContent = 'Sent: npm run export-labels writes it out for review.';
    } catch (err) {
      labelStatus.className = 'error';
      labelStatus.textContent = `Not sent: ${err instanceof ApiError ? err.message : 'network problem'}`;
    }
  };
  return el('div', { className: 'question' },
    el('div', {}, el('span', { className: 'count', textContent: `${q.count}×` }), q.text),
    el('div', { className: 'muted', textContent: `${q.reason === 'no-fact' ? 'no fact in the catalog' : 'not understood'} · read as ${q.intent} · last ${new Date(q.lastAt).toLocaleString()}` }),
    ...(q.similar?.length ? [el('div', { className: 'muted', textContent: `also asked as: ${q.similar.map((t) => `“${t}”`).join(' · ')}` })] : []),
    el('details', {}, el('summary', { textContent: 'Add the answer' }), form),
    el('details', {}, el('summary', { textContent: 'Label what it meant' }), labelForm));
}

/** The list changes only when asked for: a form being filled in is never redrawn under the typing. */
async function loadUnanswered() {
  if (!products.length) {
    try {
      products = (await api('/v1/chat/products')).products;
    } catch {
      products = []; // the web chat is off: answers go to the whole shop, or by item id through the API
    }
  }
  /** @type {Unanswered[]} */
  const list = await api('/v1/admin/unanswered?days=7', { token });
  byId('unanswered').replaceChildren(...(list.length ? list.slice(0, 50).map(questionCard) : [el('p', { className: 'muted', textContent: 'Nothing: every question was answered.' })]));
}

/** Agents per shift for a sale day the shop describes, from its measured auto-resolution. */
const staffingForm = /** @type {HTMLFormElement} */ (byId('staffing'));
staffingForm.onsubmit = async (/** @type {SubmitEvent} */ e) => {
  e.preventDefault();
  const form = new FormData(staffingForm);
  const query = new URLSearchParams({
    uv: String(form.get('uv') ?? ''),
    consultRate: String(form.get('consultRate') ?? ''),
    perAgent: String(form.get('perAgent') || '300'),
  });
  const out = byId('staffing-result');
  try {
    /** @type {{ consultations: number, byBot: number, forPeople: number, dayShiftAgents: number, nightShiftAgents: number, autoResolutionRate: number | null, measuredConversations: number, shifts: number[] }} */
    const r = await api(`/v1/admin/staffing?${query}`, { token });
    out.replaceChildren(
      el('div', {
        textContent:
          r.autoResolutionRate === null
            ? `${r.consultations} consultations expected; the bot's share is not measured yet (no answer of the last 30 days is 30 minutes old), so all ${r.forPeople} are counted for people.`
            : `${r.consultations} consultations expected; the bot finishes ${r.byBot} (${pct(r.autoResolutionRate)}, measured over ${r.measuredConversations} conversations in the last 30 days); ${r.forPeople} for people.`,
      }),
      el('b', { textContent: `Day shift (${r.shifts[0] ?? 9} h): ${r.dayShiftAgents} agents` + (r.shifts.length > 1 ? ` · night shift (${r.shifts[1]} h): ${r.nightShiftAgents} agents` : '') }),
    );
  } catch (err) {
    out.textContent = err instanceof ApiError ? err.message : 'could not estimate';
  }
};

byId('load').onclick = () => {
  token = input('token').value.trim() || token;
  void load();
  void loadUnanswered().catch(() => {});
};
setInterval(() => {
  if (token) void load();
}, 5000);
if (token) {
  input('token').value = token;
  void load();
  void loadUnanswered().catch(() => {});
}
