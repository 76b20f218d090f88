// @ts-check
/** The agent desk: waiting buyers pushed live, several chats at once, assist, notes, in zh or en. */
import { api, ApiError, byId, el, readEvents } from './api.js';

/** @typedef {'zh' | 'en'} DeskLanguage */
/** @typedef {{ messageId: string, from: 'buyer' | 'bot' | 'agent', text: string, at: string, intent?: string, undelivered?: string }} Message */
/**
 * @typedef {{ id: string, state: 'waiting' | 'claimed' | 'resolved', conversationId: string, buyerId: string,
 *   buyerName?: string, channel: string, language: string, reason: string, intent: string, priority: number,
 *   createdAt: string, claimedBy?: string, lastMessage?: string, cause?: string, buyerWaitingSince?: string,
 *   product?: { id: string, name: string } }} Summary
 */
/** @typedef {{ open: boolean, reason?: string, windowEndsAt?: string, messagesLeft?: number }} SendState */
/** @typedef {{ orderId: string, state: string, total: number }} Order */
/** @typedef {{ agent: string, text: string, at: string }} Note */
/** @typedef {{ id: string, state: string, reason: string, createdAt: string, resolvedIntent?: string, claimedBy?: string }} Earlier */
/**
 * @typedef {{ handoff: Summary, messages: Message[], order?: Order, product?: { id: string, name: string },
 *   sendState?: SendState, quickReplies: { intent: string, text: string }[], cards: { product?: string, order?: string },
 *   draft?: { intent: string, text: string }, notes: Note[], tags: string[], earlier: Earlier[] }} Detail
 */
/** @typedef {{ agent: string, agents: string[], intents: string[] }} Me */
/** @typedef {{ orderId: string, total: number, askedAt?: string }} Task */

const TEXT = {
  zh: {
    title: '店小二 · 客服工作台', token: '令牌', signIn: '登录', language: '语言', claimNext: '接待下一位',
    mine: '我的会话', waiting: '排队中', others: '同事接待中', tasks: '仓库任务',
    empty: '请先用客服令牌登录，然后接待排队中的买家。', draft: '智能辅助：机器人对买家最新一条消息的回答',
    useDraft: '放入输入框', quickSearch: '搜索快捷回复', cardProduct: '商品卡片', cardOrder: '订单状态',
    replyPlaceholder: '回复买家（Enter 发送，Shift+Enter 换行）', take: '接待此会话', send: '发送', intent: '归类',
    resolve: '结束会话', release: '放回队列', transfer: '转接', buyer: '买家与订单', notes: '内部备注',
    notePlaceholder: '仅同事可见', addNote: '添加', tags: '标签', tagsPlaceholder: '用逗号分隔', saveTags: '保存',
    earlier: '历史会话', notifyOn: '开启提醒', signedIn: (/** @type {string} */ a) => `客服：${a}`,
    live: '● 实时', offline: '○ 重连中…', nobodyOnline: '没有其他在线同事', noEarlier: '没有更早的会话',
    noNotes: '还没有备注', take1: '接待', waitingFor: '等待', state: { waiting: '排队中', claimed: '接待中', resolved: '已结束' },
    who: { buyer: '买家', bot: '机器人', agent: '客服' }, notDelivered: '未送达',
    facts: { channel: '渠道', reason: '转人工原因', guess: '机器人判断', product: '商品', order: '订单', canReply: '可回复', buyerId: '买家 ID' },
    yes: '可以', until: (/** @type {string} */ t) => `可以，截至 ${t}`, left: (/** @type {number} */ n) => `，还可发 ${n} 条`, no: '不可以：',
    newHandoff: '新的买家在排队', newMessage: '买家发来新消息', stopTask: (/** @type {string} */ id) => `拦截订单 ${id}（买家要求取消）`,
    stopped: '已拦截', tooLate: '已发出', none: '—',
    errors: {
      HANDOFF_CONFLICT: '这个会话已经被其他同事接待了。', AGENT_OFFLINE: '对方不在线，只能转给在线的同事。',
      OUTBOUND_GUARD: '消息没有发送：违反了店铺规则', WINDOW_CLOSED: '消息没有发送：已超出平台允许回复的时间。',
      BUDGET_SPENT: '消息没有发送：平台对这位买家的可发条数已用完。', HELD_BY_SERVICER: '消息没有发送：买家正由企业微信客服接待。',
      VALIDATION_FAILED: '内容不符合要求，请检查后重试。', UNAUTHORIZED: '令牌不正确，请重新登录。',
      RATE_LIMITED: '操作太频繁，请稍后再试。', NOT_FOUND: '会话不存在或已过期。', NETWORK: '网络异常，请检查网络后重试。',
      other: '操作没有成功，请重试。',
    },
    reasons: {
      emotional: '情绪激动', complaint: '投诉', 'human.request': '要求人工', 'not-understood': '机器人没听懂',
      'size-outside-chart': '尺码表外', 'discount-over-limit': '议价超出权限', 'high-value-order': '大额订单',
      reception: '人工优先接待', 'product.info': '商品问题待确认', 'order.change': '修改订单', 'order.cancel': '取消订单',
      'return.howto': '退换货', invoice: '发票', 'price.discount': '优惠',
    },
    channels: { generic: '店铺渠道', web: '网页咨询', telegram: 'Telegram', whatsapp: 'WhatsApp', wecom: '企业微信' },
  },
  en: {
    title: 'xiaoer · agent desk', token: 'Token', signIn: 'Sign in', language: 'Language', claimNext: 'Claim next',
    mine: 'My chats', waiting: 'Waiting', others: 'With colleagues', tasks: 'Warehouse tasks',
    empty: 'Sign in with your agent token, then take a waiting buyer.', draft: "Assist: the bot's answer to the buyer's latest message",
    useDraft: 'Put in reply box', quickSearch: 'Search quick replies', cardProduct: 'Product card', cardOrder: 'Order status',
    replyPlaceholder: 'Reply to the buyer (Enter sends, Shift+Enter for a new line)', take: 'Take this chat', send: 'Send', intent: 'Intent',
    resolve: 'Resolve', release: 'Release', transfer: 'Transfer', buyer: 'Buyer and order', notes: 'Internal notes',
    notePlaceholder: 'Only colleagues see this', addNote: 'Add', tags: 'Tags', tagsPlaceholder: 'comma-separated', saveTags: 'Save',
    earlier: 'Earlier conversations', notifyOn: 'Turn on alerts', signedIn: (/** @type {string} */ a) => `signed in as ${a}`,
    live: '● live', offline: '○ reconnecting…', nobodyOnline: 'No other agent online', noEarlier: 'No earlier conversations',
    noNotes: 'No notes yet', take1: 'Take', waitingFor: 'waiting', state: { waiting: 'waiting', claimed: 'claimed', resolved: 'resolved' },
    who: { buyer: 'buyer', bot: 'bot', agent: 'agent' }, notDelivered: 'not delivered',
    facts: { channel: 'channel', reason: 'reason', guess: 'bot’s guess', product: 'product', order: 'order', canReply: 'can reply', buyerId: 'buyer id' },
    yes: 'yes', until: (/** @type {string} */ t) => `until ${t}`, left: (/** @type {number} */ n) => `, ${n} message${n === 1 ? '' : 's'} left`, no: 'no: ',
    newHandoff: 'A buyer is waiting', newMessage: 'New message from a buyer', stopTask: (/** @type {string} */ id) => `Stop order ${id} (buyer asked to cancel)`,
    stopped: 'Stopped', tooLate: 'Already shipped', none: '—',
    errors: {
      HANDOFF_CONFLICT: 'Another agent already has this conversation.', AGENT_OFFLINE: 'That agent is offline: transfer only to an agent who is online.',
      OUTBOUND_GUARD: 'Not sent: it breaks the shop rule', WINDOW_CLOSED: 'Not sent: the platform no longer lets us reply to this buyer.',
      BUDGET_SPENT: 'Not sent: the platform’s message allowance for this buyer is used up.', HELD_BY_SERVICER: 'Not sent: a WeCom servicer has this buyer.',
      VALIDATION_FAILED: 'That input is not valid; please check it.', UNAUTHORIZED: 'Wrong token; please sign in again.',
      RATE_LIMITED: 'Too many requests; try again shortly.', NOT_FOUND: 'No such conversation (or it has expired).', NETWORK: 'Network problem; check your connection.',
      other: 'That did not work; please try again.',
    },
    reasons: {
      emotional: 'upset buyer', complaint: 'complaint', 'human.request': 'asked for a person', 'not-understood': 'bot did not understand',
      'size-outside-chart': 'outside size chart', 'discount-over-limit': 'discount over limit', 'high-value-order': 'high-value order',
      reception: 'people-first reception', 'product.info': 'product question to check', 'order.change': 'order change', 'order.cancel': 'cancel order',
      'return.howto': 'returns', invoice: 'invoice', 'price.discount': 'discount',
    },
    channels: { generic: 'shop channel', web: 'web chat', telegram: 'Telegram', whatsapp: 'WhatsApp', wecom: 'WeCom' },
  },
};

/** @type {DeskLanguage} */
let lang = pickLanguage();
let t = TEXT[lang];
let token = sessionStorage.getItem('xiaoer-agent-token') ?? '';
/** @type {Me | null} */
let me = null;
/** @type {Summary[]} */
let waiting = [];
/** @type {Summary[]} */
let claimed = [];
/** @type {string | null} */
let openId = null;
/** @type {Detail | null} */
let view = null;
/** Buyer messages not yet seen, per hand-off of mine (an open chat has none). */
const unread = new Map();
/** Hand-offs already seen waiting: a new one rings once. */
const known = new Set();
/** What the agent typed and chose per conversation, kept while they switch between chats. */
/** @type {Map<string, { reply: string, note: string, intent?: string }>} */
const drafts = new Map();
/** A reply on its way: Enter again does not send it twice. */
let sending = false;
let events = new AbortController();

/** @returns {DeskLanguage} */
function pickLanguage() {
  const saved = localStorage.getItem('xiaoer-desk-lang');
  if (saved === 'zh' || saved === 'en') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

function applyLanguage() {
  t = TEXT[lang];
  document.documentElement.lang = lang;
  document.title = t.title;
  /** @type {HTMLSelectElement} */ (byId('lang')).value = lang;
  for (const node of document.querySelectorAll('[data-t]')) {
    const value = /** @type {Record<string, unknown>} */ (t)[/** @type {HTMLElement} */ (node).dataset.t ?? ''];
    if (typeof value === 'string') node.textContent = value;
  }
  for (const node of document.querySelectorAll('[data-tl]')) {
    const value = /** @type {Record<string, unknown>} */ (t)[/** @type {HTMLElement} */ (node).dataset.tl ?? ''];
    if (typeof value === 'string') node.setAttribute('aria-label', value);
  }
  for (const node of document.querySelectorAll('[data-tp]')) {
    const value = /** @type {Record<string, unknown>} */ (t)[/** @type {HTMLElement} */ (node).dataset.tp ?? ''];
    if (typeof value === 'string') /** @type {HTMLInputElement} */ (node).placeholder = value;
  }
  if (me) byId('who').textContent = t.signedIn(me.agent);
  showConnection();
  byId('alert').textContent = '';
  renderLists();
  if (view) render(view, false);
}

/** @param {unknown} err */
function explain(err) {
  if (!(err instanceof ApiError)) return t.errors.other;
  const known = /** @type {Record<string, string>} */ (t.errors)[err.code];
  if (err.code === 'OUTBOUND_GUARD') {
    const rule = /** @type {{ rule?: string }[]} */ (err.details)[0]?.rule;
    return `${known}${rule ? `「${rule}」` : ''}`;
  }
  return known ?? `${t.errors.other} (${err.message})`;
}

/** @param {() => Promise<void>} action */
async function guarded(action) {
  byId('alert').textContent = '';
  try {
    await action();
  } catch (err) {
    byId('alert').textContent = explain(err);
  }
}

/** @param {string} path @param {unknown} [body] @param {string} [method] */
const call = (path, body, method) => api(path, { token, ...(body !== undefined ? { body } : {}), ...(method ? { method } : {}) });

/** @param {string} iso */
function secondsSince(iso) {
  return Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
}
/** @param {number} s */
function duration(s) {
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}
/** The 100 s and 3 min lines: a buyer waiting that long without a person's answer. */
/** @param {string | undefined} since */
function waitClass(since) {
  if (!since) return '';
  const s = secondsSince(since);
  return s >= 180 ? 'late' : s >= 100 ? 'slow' : '';
}
/** @param {string} reason */
const reasonLabel = (reason) => /** @type {Record<string, string>} */ (t.reasons)[reason] ?? reason;
/** @param {string} channel */
const channelLabel = (channel) => /** @type {Record<string, string>} */ (t.channels)[channel] ?? channel;
/** @param {Summary} h */
const buyerLabel = (h) => h.buyerName || h.buyerId;

/** @param {Summary} h @param {'waiting' | 'mine' | 'others'} list */
function card(h, list) {
  const div = el('div', { className: `item ${openId === h.id ? 'active' : ''}`, title: h.conversationId, tabIndex: 0 });
  div.setAttribute('role', 'button');
  div.onkeydown = (e) => {
    if (e.target === div && (e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault();
      void guarded(() => open(h.id));
    }
  };
  div.dataset.id = h.id;
  div.dataset.since = h.buyerWaitingSince ?? '';
  div.classList.toggle('slow', waitClass(h.buyerWaitingSince) === 'slow');
  div.classList.toggle('late', waitClass(h.buyerWaitingSince) === 'late');
  const top = el('div', { className: 'top' },
    el('span', { className: 'name', textContent: buyerLabel(h) }),
    el('span', { className: `badge p${h.priority}`, textContent: `P${h.priority}` }),
    el('span', { className: 'badge channel', textContent: channelLabel(h.channel) }),
    el('span', { className: 'badge', textContent: reasonLabel(h.reason) }));
  const count = unread.get(h.id) ?? 0;
  if (list === 'mine' && count > 0) top.append(el('span', { className: 'badge unread', textContent: String(count) }));
  if (list === 'waiting') {
    const take = el('button', { className: 'take', textContent: t.take1 });
    take.onclick = (e) => { e.stopPropagation(); void guarded(() => claimOne(h.id)); };
    top.append(take);
  }
  const since = h.buyerWaitingSince;
  div.append(top,
    el('div', { className: 'cause', textContent: h.cause ?? h.lastMessage ?? '' }),
    el('div', { className: 'muted timer', textContent: (since ? `${t.waitingFor} ${duration(secondsSince(since))}` : '') + (list === 'others' && h.claimedBy ? ` · ${h.claimedBy}` : '') + (h.product ? ` · ${h.product.name}` : '') }));
  div.onclick = () => void guarded(() => open(h.id));
  return div;
}

/** @param {Task} task */
function taskCard(task) {
  const row = el('div', { className: 'row' });
  for (const [label, stopped] of /** @type {[string, boolean][]} */ ([[t.stopped, true], [t.tooLate, false]])) {
    const b = el('button', { className: stopped ? '' : 'secondary', textContent: label });
    b.onclick = () => void guarded(async () => {
      await call(`/v1/desk/tasks/${encodeURIComponent(task.orderId)}/done`, { stopped });
      await refreshLists();
    });
    row.append(b);
  }
  return el('div', { className: 'item' },
    el('div', { textContent: t.stopTask(task.orderId) }),
    el('div', { className: 'muted', textContent: `${task.askedAt ? new Date(task.askedAt).toLocaleTimeString() : ''} · ¥${task.total}` }), row);
}

/** What the lists showed last: they are redrawn only when it changes, so nothing moves under the agent's pointer. */
let shownLists = '';

function renderLists() {
  if (!me) return;
  const agent = me.agent;
  const stable = (/** @type {Summary} */ h) => [h.id, h.state, h.claimedBy, h.buyerWaitingSince, h.cause, h.lastMessage, h.buyerName];
  const key = JSON.stringify([lang, openId, waiting.map(stable), claimed.map(stable), [...unread]]);
  if (key === shownLists) return;
  shownLists = key;
  const mine = claimed.filter((h) => h.claimedBy === agent);
  byId('mine').replaceChildren(...mine.map((h) => card(h, 'mine')));
  byId('waiting').replaceChildren(...waiting.map((h) => card(h, 'waiting')));
  byId('others').replaceChildren(...claimed.filter((h) => h.claimedBy !== agent).map((h) => card(h, 'others')));
  byId('mine-count').textContent = `(${mine.length})`;
  byId('waiting-count').textContent = `(${waiting.length})`;
  /** @type {HTMLButtonElement} */ (byId('claim')).disabled = waiting.length === 0;
}

async function refreshLists() {
  if (!me) return;
  const [w, c, tasks] = await Promise.all([
    call('/v1/desk/handoffs?state=waiting'), call('/v1/desk/handoffs?state=claimed'), call('/v1/desk/tasks')]);
  waiting = w.handoffs;
  claimed = c.handoffs;
  for (const h of waiting) known.add(h.id);
  byId('tasks').replaceChildren(...(/** @type {Task[]} */ (tasks.tasks)).map(taskCard));
  renderLists();
}

/** @param {Detail} d @param {boolean} fresh a different conversation than the one shown */
function render(d, fresh) {
  view = d;
  const h = d.handoff;
  byId('empty').hidden = true;
  byId('conversation').hidden = false;
  const claimedBy = h.claimedBy ? (lang === 'zh' ? `（${h.claimedBy}）` : ` (${h.claimedBy})`) : '';
  byId('title').textContent = `${buyerLabel(h)} · ${t.state[h.state]}${h.state === 'claimed' ? claimedBy : ''}`;
  renderTimer();

  const lastBuyer = [...d.messages].reverse().find((m) => m.from === 'buyer');
  const rule = d.sendState;
  const facts = [
    [t.facts.channel, channelLabel(h.channel)],
    [t.facts.reason, reasonLabel(h.reason)],
    [t.facts.guess, lastBuyer?.intent ?? h.intent],
    [t.facts.product, d.product ? `${d.product.name} (${d.product.id})` : t.none],
    [t.facts.order, d.order ? `${d.order.orderId} · ${d.order.state} · ¥${d.order.total}` : t.none],
    [t.facts.buyerId, h.buyerId],
  ];
  // A platform's reply rule (WhatsApp's 24-hour window), known before the agent types.
  if (rule) {
    const left = rule.messagesLeft !== undefined ? t.left(rule.messagesLeft) : '';
    facts.push([t.facts.canReply, rule.open ? (rule.windowEndsAt ? t.until(new Date(rule.windowEndsAt).toLocaleString()) : t.yes) + left : `${t.no}${rule.reason ?? ''}`]);
  }
  byId('facts').replaceChildren(...facts.flatMap(([k, v]) => [el('b', { textContent: k ?? '' }), el('span', { textContent: v ?? '' })]));

  // The list keeps its scroll place unless the agent was at the bottom (then it follows new messages).
  const box = byId('messages');
  const atBottom = fresh || box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  const before = box.scrollTop;
  box.replaceChildren(...d.messages.map((m) => el('div', { className: `msg ${m.from}` },
    el('div', { className: 'who', textContent: `${t.who[m.from]} · ${new Date(m.at).toLocaleTimeString()}` },
      ...(m.undelivered ? [el('span', { className: 'undelivered', textContent: ` · ${t.notDelivered}: ${m.undelivered}` })] : [])),
    m.text)));
  box.scrollTop = atBottom ? box.scrollHeight : before;

  const mine = h.state === 'claimed' && h.claimedBy === me?.agent;
  byId('draft-box').hidden = !d.draft || !mine;
  byId('draft-text').textContent = d.draft?.text ?? '';
  renderQuick();
  /** @type {HTMLButtonElement} */ (byId('card-product')).disabled = !mine || !d.cards.product;
  /** @type {HTMLButtonElement} */ (byId('card-order')).disabled = !mine || !d.cards.order;
  // The corrected intent is the agent's choice, kept per chat; until they choose, the hand-off's own.
  if (fresh) {
    const kept = drafts.get(h.id);
    const intent = /** @type {HTMLSelectElement} */ (byId('intent'));
    intent.value = kept?.intent ?? h.intent;
    if (kept?.intent) intent.dataset.chosen = h.id;
    else delete intent.dataset.chosen;
    /** @type {HTMLTextAreaElement} */ (byId('reply')).value = kept?.reply ?? '';
    /** @type {HTMLInputElement} */ (byId('note')).value = kept?.note ?? '';
  }
  for (const id of ['send', 'resolve', 'release', 'transfer']) /** @type {HTMLButtonElement} */ (byId(id)).disabled = !mine;
  // Nobody to transfer to (refreshAgents may have filled the list before this view came): stays off.
  if (!(/** @type {HTMLSelectElement} */ (byId('transfer-to')).value)) /** @type {HTMLButtonElement} */ (byId('transfer')).disabled = true;
  if (rule && !rule.open) /** @type {HTMLButtonElement} */ (byId('send')).disabled = true;
  byId('take').hidden = h.state !== 'waiting';

  byId('notes').replaceChildren(...(d.notes.length
    ? d.notes.map((n) => el('div', { className: 'note' }, el('div', { className: 'muted', textContent: `${n.agent} · ${new Date(n.at).toLocaleString()}` }), n.text))
    : [el('div', { className: 'muted', textContent: t.noNotes })]));
  if (fresh) /** @type {HTMLInputElement} */ (byId('tags')).value = d.tags.join(', ');
  byId('earlier').replaceChildren(...(d.earlier.length
    ? d.earlier.map((e) => el('div', { className: 'item' },
      el('div', { textContent: `${new Date(e.createdAt).toLocaleString()} · ${reasonLabel(e.reason)}` }),
      el('div', { className: 'muted', textContent: `${t.state[/** @type {'waiting'} */ (e.state)] ?? e.state}${e.claimedBy ? ` · ${e.claimedBy}` : ''}${e.resolvedIntent ? ` · ${e.resolvedIntent}` : ''}` })))
    : [el('div', { className: 'muted', textContent: t.noEarlier })]));
  void refreshAgents();
}

/** The open conversation's wait, from the buyer's first unanswered message; cleared when an agent replies. */
function renderTimer() {
  const since = view?.handoff.buyerWaitingSince;
  const timer = byId('timer');
  timer.textContent = since && view?.handoff.state !== 'resolved' ? `${t.waitingFor} ${duration(secondsSince(since))}` : '';
  timer.className = waitClass(since);
  for (const node of document.querySelectorAll('.item[data-since]')) {
    const item = /** @type {HTMLElement} */ (node);
    const s = item.dataset.since;
    if (!s) continue;
    item.classList.toggle('slow', waitClass(s) === 'slow');
    item.classList.toggle('late', waitClass(s) === 'late');
    const line = item.querySelector('.timer');
    if (line) line.textContent = line.textContent?.replace(/^\S+ [^·]*/, `${t.waitingFor} ${duration(secondsSince(s))} `) ?? '';
  }
}

function renderQuick() {
  const list = byId('quick-list');
  const query = /** @type {HTMLInputElement} */ (byId('quick-search')).value.trim().toLowerCase();
  if (!view || !query) {
    list.hidden = true;
    return;
  }
  const found = view.quickReplies.filter((q) => q.text.toLowerCase().includes(query) || q.intent.includes(query));
  list.hidden = found.length === 0;
  list.replaceChildren(...found.map((q) => {
    const b = el('button', { type: 'button' }, el('b', { textContent: q.intent }), q.text);
    b.onclick = () => { /** @type {HTMLTextAreaElement} */ (byId('reply')).value = q.text; list.hidden = true; };
    return b;
  }));
}

/** Transfer offers only agents whose desk is open; with none, the list says so. */
async function refreshAgents() {
  if (!me) return;
  const { agents } = await call('/v1/desk/agents');
  const online = /** @type {{ name: string, online: boolean }[]} */ (agents).filter((a) => a.online && a.name !== me?.agent);
  const select = /** @type {HTMLSelectElement} */ (byId('transfer-to'));
  const chosen = select.value;
  select.replaceChildren(...(online.length ? online.map((a) => el('option', { value: a.name, textContent: a.name })) : [el('option', { value: '', textContent: t.nobodyOnline })]));
  if (online.some((a) => a.name === chosen)) select.value = chosen;
  const mine = view?.handoff.state === 'claimed' && view.handoff.claimedBy === me.agent;
  /** @type {HTMLButtonElement} */ (byId('transfer')).disabled = !mine || online.length === 0;
}

/** @param {string} id */
async function open(id) {
  const fresh = id !== openId;
  if (fresh && openId) keepDraft(openId);
  openId = id;
  unread.delete(id);
  const detail = await call(`/v1/desk/handoffs/${encodeURIComponent(id)}`);
  if (openId !== id) return; // the agent opened another conversation meanwhile
  render(detail, fresh);
  renderLists();
}

/** Keeps what the agent typed and chose in the chat they leave. @param {string} id */
function keepDraft(id) {
  const intent = /** @type {HTMLSelectElement} */ (byId('intent'));
  drafts.set(id, {
    reply: /** @type {HTMLTextAreaElement} */ (byId('reply')).value,
    note: /** @type {HTMLInputElement} */ (byId('note')).value,
    ...(intent.dataset.chosen === id ? { intent: intent.value } : {}),
  });
}

/** @param {string} id */
async function claimOne(id) {
  const claimedView = await call(`/v1/desk/handoffs/${encodeURIComponent(id)}/claim`, {});
  await refreshLists();
  await open(claimedView.handoff.id);
}

/** A short tone and a desktop notification (when the agent allowed them) for what needs a person. */
function alertAgent(/** @type {string} */ title, /** @type {string} */ body) {
  try {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.value = 0.08;
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.18);
    tone.onended = () => void audio.close();
  } catch {
    // no sound device: the list still shows it
  }
  if ('Notification' in window && Notification.permission === 'granted' && document.hidden)
    new Notification(title, { body, tag: 'xiaoer-desk' });
}

/** @param {string} type @param {{ handoffId: string, state?: string, from?: string, agent?: string }} event */
function onEvent(type, event) {
  // Listening: read what is there now, so nothing between the page's last read and this is missed.
  if (type === 'ready') return soon(true);
  if (type === 'handoff' && event.state === 'waiting' && !known.has(event.handoffId)) {
    known.add(event.handoffId);
    alertAgent(t.newHandoff, '');
  }
  if (type === 'message' && event.from === 'buyer' && event.handoffId !== openId) {
    const mine = claimed.some((h) => h.id === event.handoffId && h.claimedBy === me?.agent);
    if (mine) {
      unread.set(event.handoffId, (unread.get(event.handoffId) ?? 0) + 1);
      alertAgent(t.newMessage, '');
    }
  }
  soon(event.handoffId === openId);
}

/**
 * Refreshes after events, at most one at a time and a few times a second: a burst of messages
 * on a busy night costs one refresh, not one per message per desk.
 */
let refreshing = false;
let again = false;
let againDetail = false;
/** @param {boolean} detail the open conversation changed too */
function soon(detail) {
  again = true;
  againDetail ||= detail;
  if (refreshing) return;
  refreshing = true;
  setTimeout(async () => {
    while (again) {
      const withDetail = againDetail;
      again = false;
      againDetail = false;
      await refreshLists().catch(() => {});
      if (withDetail && openId) await open(openId).catch(() => {});
    }
    refreshing = false;
  }, 250);
}

let live = false;
function showConnection() {
  byId('connection').textContent = me ? (live ? t.live : t.offline) : '';
  byId('connection').classList.toggle('live', live);
}

function listen() {
  events.abort();
  events = new AbortController();
  void readEvents('/v1/desk/events', token, onEvent, events.signal, (connected) => {
    live = connected;
    showConnection();
  });
}

byId('login').onclick = () => void guarded(async () => {
  token = /** @type {HTMLInputElement} */ (byId('token')).value.trim() || token;
  me = await call('/v1/desk/me');
  sessionStorage.setItem('xiaoer-agent-token', token);
  byId('who').textContent = t.signedIn(/** @type {Me} */ (me).agent);
  byId('intent').replaceChildren(.../** @type {Me} */ (me).intents.map((i) => el('option', { value: i, textContent: i })));
  byId('notify').hidden = !('Notification' in window) || Notification.permission !== 'default';
  await call('/v1/desk/heartbeat', {});
  await refreshLists();
  listen();
});

byId('notify').onclick = () => void Notification.requestPermission().then(() => { byId('notify').hidden = true; });

/** @type {HTMLSelectElement} */ (byId('lang')).onchange = () => {
  lang = /** @type {DeskLanguage} */ (/** @type {HTMLSelectElement} */ (byId('lang')).value);
  localStorage.setItem('xiaoer-desk-lang', lang);
  applyLanguage();
};

byId('claim').onclick = () => void guarded(async () => {
  const next = await call('/v1/desk/handoffs/claim', {});
  await refreshLists();
  if (next) await open(next.handoff.id);
});

byId('take').onclick = () => void guarded(async () => { if (openId) await claimOne(openId); });

byId('quick-search').oninput = renderQuick;
byId('use-draft').onclick = () => { /** @type {HTMLTextAreaElement} */ (byId('reply')).value = view?.draft?.text ?? ''; };
byId('card-product').onclick = () => { /** @type {HTMLTextAreaElement} */ (byId('reply')).value = view?.cards.product ?? ''; };
byId('card-order').onclick = () => { /** @type {HTMLTextAreaElement} */ (byId('reply')).value = view?.cards.order ?? ''; };

async function sendReply() {
  const box = /** @type {HTMLTextAreaElement} */ (byId('reply'));
  const text = box.value.trim();
  const to = openId;
  if (!text || !to || sending) return;
  sending = true;
  /** @type {HTMLButtonElement} */ (byId('send')).disabled = true;
  try {
    await call(`/v1/desk/handoffs/${encodeURIComponent(to)}/messages`, { text });
    // Cleared only if the agent is still in that chat (else it is the other chat's text).
    if (openId === to) box.value = '';
    drafts.delete(to);
  } finally {
    sending = false;
    /** @type {HTMLButtonElement} */ (byId('send')).disabled = false;
  }
  if (openId === to) await open(to);
}
byId('send').onclick = () => void guarded(sendReply);
byId('reply').onkeydown = (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && !/** @type {HTMLButtonElement} */ (byId('send')).disabled) {
    e.preventDefault();
    void guarded(sendReply);
  }
};

/** @param {string} action @param {unknown} [body] */
const act = (action, body) => guarded(async () => {
  if (!openId) return;
  await call(`/v1/desk/handoffs/${encodeURIComponent(openId)}/${action}`, body ?? {});
  await refreshLists();
  await open(openId);
});
// The intent goes with the resolve only when the agent chose one (a label nobody chose would teach the bot wrong).
byId('intent').onchange = () => {
  if (openId) byId('intent').dataset.chosen = openId;
};
byId('resolve').onclick = () => {
  const intent = /** @type {HTMLSelectElement} */ (byId('intent'));
  void act('resolve', intent.dataset.chosen === openId ? { intent: intent.value } : {});
};
byId('release').onclick = () => void act('release');
byId('transfer').onclick = () => {
  const to = /** @type {HTMLSelectElement} */ (byId('transfer-to')).value;
  if (!to) byId('alert').textContent = t.nobodyOnline;
  else void act('transfer', { agent: to });
};

byId('add-note').onclick = () => void guarded(async () => {
  const input = /** @type {HTMLInputElement} */ (byId('note'));
  if (!openId || !input.value.trim()) return;
  await call(`/v1/desk/handoffs/${encodeURIComponent(openId)}/notes`, { text: input.value });
  input.value = '';
  await open(openId);
});
byId('save-tags').onclick = () => void guarded(async () => {
  if (!openId) return;
  const tags = /** @type {HTMLInputElement} */ (byId('tags')).value.split(/[,，]/).map((s) => s.trim()).filter(Boolean);
  await call(`/v1/desk/handoffs/${encodeURIComponent(openId)}/tags`, { tags }, 'PUT');
  await open(openId);
});

// Heartbeat keeps the agent online and their claims theirs; the slow refresh catches anything a
// dropped event stream missed; the timers tick every second.
setInterval(() => { if (me) void call('/v1/desk/heartbeat', {}).catch(() => {}); }, 10_000);
setInterval(() => { if (me) { void refreshLists().catch(() => {}); if (openId) void open(openId).catch(() => {}); } }, 15_000);
setInterval(renderTimer, 1000);

applyLanguage();
if (token) {
  /** @type {HTMLInputElement} */ (byId('token')).value = token;
  byId('login').click();
}
