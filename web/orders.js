// @ts-check
/** The shop's orders page: a day's orders with their reminders, invoices to issue, warehouse stops. */
import { api, ApiError, byId, el } from './api.js';

/**
 * @typedef {{ state: 'scheduled' | 'sent' | 'converted' | 'skipped' | 'none', at?: string, sentAt?: string, reason?: string }} Reminder
 * @typedef {{ orderId: string, buyerId: string, state: string, total: number, items: number, placedAt: string, paidAt?: string, reminder: Reminder }} OrderRow
 * @typedef {{ orderId: string, buyerId: string, state: string, total: number, title?: string, taxId?: string, requestedAt?: string, shippedAt?: string }} InvoiceRow
 * @typedef {{ orderId: string, buyerId: string, state: string, total: number, askedAt?: string }} WarehouseRow
 * @typedef {{ day: string, timeZone: string, orders: OrderRow[], invoices: InvoiceRow[], warehouse: WarehouseRow[] }} OrdersView
 */

let token = sessionStorage.getItem('xiaoer-admin-token') ?? '';
let zone = '';
/** The shop's date and clock, made once per time zone (not for each cell). */
let formats = { date: new Intl.DateTimeFormat('en-CA'), clock: new Intl.DateTimeFormat('en-GB') };
/** @param {string} timeZone */
function useZone(timeZone) {
  if (timeZone === zone) return;
  zone = timeZone;
  formats = {
    date: new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }),
    clock: new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit' }),
  };
}
/** @param {string} id */
const input = (id) => /** @type {HTMLInputElement} */ (byId(id));

/** A time in the shop's time zone: HH:MM, with the date when it is not the day shown. @param {string | undefined} iso @param {string} [day] */
function time(iso, day) {
  if (!iso) return '—';
  const d = new Date(iso);
  const date = formats.date.format(d);
  const hm = formats.clock.format(d);
  return date === day ? hm : `${date} ${hm}`;
}

/** @param {Reminder} r @param {string} day @param {string} state the order's */
function reminderText(r, day, state) {
  switch (r.state) {
    case 'scheduled':
      return `scheduled for ${time(r.at, day)}`;
    case 'sent':
      return `sent ${time(r.at, day)}`;
    case 'converted':
      return `converted: paid ${time(r.at, day)}${r.sentAt ? ` after the reminder at ${time(r.sentAt, day)}` : ''}`;
    case 'skipped':
      return `skipped: ${r.reason}`;
    default:
      return state === 'created' ? 'none: no reminder time fits before the order closes' : 'none: paid or cancelled before one was due';
  }
}

/** @param {HTMLElement} table @param {string[]} head @param {Node[][]} rows @param {string} empty */
function fill(table, head, rows, empty) {
  if (rows.length === 0) {
    table.replaceChildren(el('tr', {}, el('td', { className: 'empty', textContent: empty })));
    return;
  }
  table.replaceChildren(
    el('tr', {}, ...head.map((h) => el('th', { textContent: h }))),
    ...rows.map((cells) => el('tr', {}, ...cells.map((c) => el('td', {}, c)))),
  );
}
/** @param {string} s */
const text = (s) => document.createTextNode(s);

async function load() {
  byId('error').textContent = '';
  token = input('token').value || token;
  const day = input('day').value;
  /** @type {OrdersView} */
  let view;
  try {
    view = await api(`/v1/admin/orders${day ? `?day=${day}` : ''}`, { token });
  } catch (err) {
    const status = err instanceof ApiError ? err.status : 0;
    byId('error').textContent = status === 401 ? 'wrong admin token' : status === 400 ? 'pick a valid day' : 'could not load orders';
    return;
  }
  sessionStorage.setItem('xiaoer-admin-token', token);
  useZone(view.timeZone);
  byId('zone').textContent = zone;
  byId('orders-title').textContent = day ? `Orders of ${view.day} and their reminders` : `Today's orders (${view.day}) and their reminders`;
  /** @type {Record<string, number>} */
  const counts = {};
  for (const o of view.orders) counts[o.reminder.state] = (counts[o.reminder.state] ?? 0) + 1;
  const unpaid = view.orders.filter((o) => o.state === 'created').length;
  byId('summary').replaceChildren(
    el('span', { className: 'pill', textContent: `${view.orders.length} orders · ${unpaid} unpaid` }),
    ...Object.entries(counts).map(([state, n]) => el('span', { className: `pill ${state}`, textContent: `${state}: ${n}` })),
  );
  fill(
    byId('orders'),
    ['order', 'buyer', 'placed', 'items', 'total', 'state', 'reminder'],
    view.orders.map((o) => {
      const reminder = el('span', { className: `pill ${o.reminder.state}`, textContent: reminderText(o.reminder, view.day, o.state) });
      return [text(o.orderId), text(o.buyerId), text(time(o.placedAt, view.day)), text(String(o.items)), text(o.total.toFixed(2)), text(o.state === 'created' ? 'unpaid' : o.state), reminder];
    }),
    'No orders placed on this day.',
  );
  fill(
    byId('invoices'),
    ['order', 'buyer', 'title', 'tax id', 'asked', 'order state', ''],
    view.invoices.map((i) => {
      const issue = el('button', { textContent: 'Mark issued' });
      issue.addEventListener('click', async () => {
        issue.disabled = true;
        try {
          await api(`/v1/admin/orders/${encodeURIComponent(i.orderId)}/invoice-issued`, { token, method: 'POST' });
          await load();
        } catch {
          issue.disabled = false;
          byId('error').textContent = 'could not mark the invoice issued';
        }
      });
      return [text(i.orderId), text(i.buyerId), text(i.title ?? '—'), text(i.taxId ?? '—'), text(time(i.requestedAt, view.day)), text(i.state === 'created' ? 'unpaid' : i.state), issue];
    }),
    'No invoice waits to be issued.',
  );
  fill(
    byId('warehouse'),
    ['order', 'buyer', 'total', 'asked', 'order state'],
    view.warehouse.map((w) => [text(w.orderId), text(w.buyerId), text(w.total.toFixed(2)), text(time(w.askedAt, view.day)), text(w.state)]),
    'No warehouse stop is open.',
  );
}

input('token').value = token;
byId('load').addEventListener('click', () => void load());
if (token) void load();
