// @ts-check
/** The buyer's side of the built-in web chat: talks to /v1/chat, in the buyer's language, updates pushed. */
import { api, ApiError, byId, el } from '/web/api.js';

/** @typedef {'zh' | 'en' | 'es'} Language */
/** @typedef {{ messageId: string, from: 'buyer' | 'bot' | 'agent', text: string, at: string, name?: string }} ChatMessage */
/** @typedef {{ language?: Language, messages: ChatMessage[] }} ChatHistory */
/** @typedef {{ id: string, name: Record<Language, string | undefined>, price: number }} ChatProduct */
/** @typedef {{ shop: { name: Record<Language, string | undefined> }, products: ChatProduct[] }} ChatCatalog */

const TEXT = {
  zh: {
    product: '商品', placeholder: '有什么可以帮您？', send: '发送', choose: '选择商品（可选）',
    welcome: (/** @type {string} */ shop) => `您好，欢迎光临${shop}！尺码、面料、库存、发货都可以问我，有需要也可以转人工客服哦～`,
    who: { buyer: '我', bot: '小二', agent: '客服' },
    errors: {
      RATE_LIMITED: '您发得有点快，请稍等片刻再发。',
      WEB_CHAT_BUSY: '现在咨询的人太多了，请一分钟后再试。',
      VALIDATION_FAILED: '消息不能为空，也不能超过 2000 字。',
      other: '没有发送成功，请检查网络后重试。',
    },
  },
  en: {
    product: 'Product', placeholder: 'Ask us anything', send: 'Send', choose: 'Choose a product (optional)',
    welcome: (/** @type {string} */ shop) => `Hi, welcome to ${shop}! Ask me about sizes, fabric, stock or shipping, or ask for a person any time.`,
    who: { buyer: 'You', bot: 'Assistant', agent: 'Agent' },
    errors: {
      RATE_LIMITED: 'You are sending messages a little fast. Please wait a moment and try again.',
      WEB_CHAT_BUSY: 'Lots of people are chatting right now. Please try again in a minute.',
      VALIDATION_FAILED: 'A message can’t be empty or longer than 2,000 characters.',
      other: 'Your message was not sent. Please check your connection and try again.',
    },
  },
  es: {
    product: 'Producto', placeholder: '¿En qué te podemos ayudar?', send: 'Enviar', choose: 'Elige un producto (opcional)',
    welcome: (/** @type {string} */ shop) => `¡Hola! Te damos la bienvenida a ${shop}. Pregúntame por tallas, tejidos, stock o envíos, o pide hablar con una persona cuando quieras.`,
    who: { buyer: 'Tú', bot: 'Asistente', agent: 'Agente' },
    errors: {
      RATE_LIMITED: 'Estás enviando mensajes un poco rápido. Espera un momento y vuelve a intentarlo.',
      WEB_CHAT_BUSY: 'Hay mucha gente en el chat ahora mismo. Inténtalo de nuevo en un minuto.',
      VALIDATION_FAILED: 'El mensaje no puede estar vacío ni superar los 2000 caracteres.',
      other: 'No se pudo enviar el mensaje. Revisa tu conexión e inténtalo de nuevo.',
    },
  },
};
const STORED_ID = 'xiaoer-web-chat';
const STORED_PRODUCT = 'xiaoer-web-chat-product';
/** With the pushed updates this is only a safety net (a dropped stream, a sleeping laptop). */
const REFRESH_MS = 30_000;

const log = byId('log');
const select = /** @type {HTMLSelectElement} */ (byId('product'));
const input = /** @type {HTMLInputElement} */ (byId('text'));
const errorBox = byId('error');

/** @type {Language} */
let language = browserLanguage();
/** @type {string | null} */
let conversationId = sessionStorage.getItem(STORED_ID);
/** @type {ChatMessage[]} */
let messages = [];
/** @type {ChatCatalog | undefined} */
let catalog;
/** @type {string | undefined} the code of the error on show, re-shown when the language changes */
let errorCode;
/** @type {EventSource | undefined} */
let stream;

/** @returns {Language} */
function browserLanguage() {
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.slice(0, 2).toLowerCase();
    if (base === 'zh' || base === 'en' || base === 'es') return base;
  }
  return 'zh';
}

/** @param {Language} next */
function speak(next) {
  language = next;
  const text = TEXT[language];
  document.documentElement.lang = language;
  byId('product-label').textContent = text.product;
  input.placeholder = text.placeholder;
  byId('send').textContent = text.send;
  renderCatalog();
  renderMessages();
  if (errorCode) showError(errorCode);
}

/** @param {ChatProduct} p */
const productName = (p) => p.name[language] ?? p.name.zh ?? p.id;

function renderCatalog() {
  if (!catalog) return;
  const name = catalog.shop.name;
  byId('shop').textContent = name[language] ?? name.zh ?? 'xiaoer';
  const chosen = select.value;
  const none = el('option', { value: '', textContent: TEXT[language].choose });
  select.replaceChildren(none, ...catalog.products.map((p) => el('option', { value: p.id, textContent: `${productName(p)} — ¥${p.price}` })));
  select.value = chosen;
  renderProductCard();
}

/** The item the buyer is asking about, as a card above the conversation. */
function renderProductCard() {
  const product = catalog?.products.find((p) => p.id === select.value);
  const card = byId('product-card');
  card.hidden = !product;
  if (product) card.replaceChildren(el('b', { textContent: productName(product) }), el('span', { textContent: ` ¥${product.price}` }));
}

/** @param {string} iso */
const clock = (iso) => new Date(iso).toLocaleTimeString(language === 'zh' ? 'zh-CN' : language, { hour: '2-digit', minute: '2-digit' });

/** The messages on show, by id: new ones are appended, so a screen reader reads only those. */
let shown = /** @type {string[]} */ ([]);

/** @param {ChatMessage} m */
function messageNode(m) {
  const who = TEXT[language].who[m.from] ?? m.from;
  return el('div', { className: `msg ${m.from}` },
    el('div', { className: 'who', textContent: `${who}${m.name ? ` ${m.name}` : ''} · ${clock(m.at)}` }), m.text);
}

/** @param {boolean} [redraw] the language or the conversation changed: draw all again */
function renderMessages(redraw = true) {
  const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
  const continues = !redraw && shown.length > 0 && shown.every((id, i) => messages[i]?.messageId === id);
  if (continues) {
    log.append(...messages.slice(shown.length).map(messageNode));
  } else {
    const shop = catalog ? (catalog.shop.name[language] ?? catalog.shop.name.zh ?? '') : '';
    const welcome = el('div', { className: 'msg bot welcome' }, el('div', { className: 'who', textContent: TEXT[language].who.bot }), TEXT[language].welcome(shop));
    log.replaceChildren(welcome, ...messages.map(messageNode));
  }
  shown = messages.map((m) => m.messageId);
  if (atBottom || messages.at(-1)?.from === 'buyer') log.scrollTop = log.scrollHeight;
}

/** @param {string} code */
function showError(code) {
  errorCode = code;
  const errors = TEXT[language].errors;
  errorBox.textContent = code in errors ? errors[/** @type {keyof typeof errors} */ (code)] : errors.other;
}

function clearError() {
  errorCode = undefined;
  errorBox.textContent = '';
}

function forget() {
  conversationId = null;
  sessionStorage.removeItem(STORED_ID);
  stream?.close();
  stream = undefined;
}

/** A conversation is started only when the buyer first writes: opening the page costs the shop nothing. */
async function start() {
  const started = await api('/v1/chat/conversations', { method: 'POST' });
  conversationId = /** @type {string} */ (started.conversationId);
  sessionStorage.setItem(STORED_ID, conversationId);
  listen();
}

/** @param {string} text */
function post(text) {
  return api('/v1/chat/messages', { body: { conversationId, text, ...(select.value ? { productId: select.value } : {}) } });
}

/** @param {string} text */
async function send(text) {
  try {
    if (!conversationId) await start();
    try {
      await post(text);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 404) throw err;
      // The conversation expired (WEB_CHAT_TTL_HOURS without a message): carry on in a new one.
      forget();
      messages = [];
      await start();
      await post(text);
    }
    clearError();
    input.value = '';
    await refresh();
  } catch (err) {
    showError(err instanceof ApiError ? err.code : 'other');
  }
}

/** Reads the conversation's messages: when the server says something is new, and now and then. */
async function refresh() {
  if (!conversationId) return;
  /** @type {ChatHistory} */
  let history;
  try {
    history = await api(`/v1/chat/conversations/${encodeURIComponent(conversationId)}/messages`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) forget();
    return;
  }
  const changed = history.messages.length !== messages.length || history.messages.at(-1)?.messageId !== messages.at(-1)?.messageId;
  messages = history.messages;
  if (history.language && history.language !== language) speak(history.language);
  else if (changed) renderMessages(false);
}

/** Pushed updates: the server says "changed", the page reads once. EventSource reconnects by itself. */
let retryMs = 2000;
function listen() {
  if (!conversationId || stream) return;
  const source = new EventSource(`/v1/chat/conversations/${encodeURIComponent(conversationId)}/events`);
  stream = source;
  source.addEventListener('ready', () => {
    retryMs = 2000;
    void refresh();
  });
  source.addEventListener('changed', () => void refresh());
  // EventSource gives up for good on an error answer (a proxy, a deploy, too many tabs): read once,
  // then try again later, less often each time.
  source.addEventListener('error', () => {
    if (source.readyState !== EventSource.CLOSED) return;
    if (stream === source) stream = undefined;
    void refresh();
    setTimeout(listen, retryMs);
    retryMs = Math.min(retryMs * 2, 60_000);
  });
}

byId('form').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (text) void send(text);
});

select.addEventListener('change', () => {
  if (select.value) localStorage.setItem(STORED_PRODUCT, select.value);
  else localStorage.removeItem(STORED_PRODUCT);
  renderProductCard();
});

api('/v1/chat/products')
  .then((/** @type {ChatCatalog} */ data) => {
    catalog = data;
    // The item from the shop's link (?product=…), else the one chosen before a reload.
    const wanted = new URLSearchParams(location.search).get('product') ?? localStorage.getItem(STORED_PRODUCT);
    renderCatalog();
    if (wanted && data.products.some((p) => p.id === wanted)) {
      select.value = wanted;
      localStorage.setItem(STORED_PRODUCT, wanted);
      renderProductCard();
    }
    renderMessages();
  })
  .catch(() => showError('other'));
speak(language);
void refresh();
listen();
setInterval(() => void refresh(), REFRESH_MS);
