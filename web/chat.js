// @ts-check
/** The buyer's side of the built-in web chat: talks to /v1/chat, in the buyer's language. */

/** @typedef {'zh' | 'en' | 'es'} Language */
/** @typedef {{ messageId: string, from: 'buyer' | 'bot' | 'agent', text: string, at: string }} ChatMessage */
/** @typedef {{ language?: Language, messages: ChatMessage[] }} ChatHistory */
/** @typedef {{ id: string, name: Record<Language, string | undefined>, price: number }} ChatProduct */
/** @typedef {{ shop: { name: Record<Language, string | undefined> }, products: ChatProduct[] }} ChatCatalog */
/** @typedef {{ error?: { code?: string, message?: string } }} ErrorBody */

const TEXT = {
  zh: {
    product: '商品', placeholder: '有什么可以帮您？', send: '发送',
    who: { buyer: '我', bot: '小二', agent: '客服' },
    errors: {
      RATE_LIMITED: '您发得有点快，请稍等片刻再发。',
      WEB_CHAT_BUSY: '现在咨询的人太多了，请一分钟后再试。',
      VALIDATION_FAILED: '消息不能为空，也不能超过 2000 字。',
      other: '没有发送成功，请检查网络后重试。',
    },
  },
  en: {
    product: 'Product', placeholder: 'Ask us anything', send: 'Send',
    who: { buyer: 'You', bot: 'Assistant', agent: 'Agent' },
    errors: {
      RATE_LIMITED: 'You are sending messages a little fast. Please wait a moment and try again.',
      WEB_CHAT_BUSY: 'Lots of people are chatting right now. Please try again in a minute.',
      VALIDATION_FAILED: 'A message can’t be empty or longer than 2,000 characters.',
      other: 'Your message was not sent. Please check your connection and try again.',
    },
  },
  es: {
    product: 'Producto', placeholder: '¿En qué te podemos ayudar?', send: 'Enviar',
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
const POLL_MS = 1000;
const POLL_HIDDEN_MS = 5000;

/** @param {string} id */
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
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
  log.replaceChildren();
  renderMessages(messages, 0);
  if (errorCode) showError(errorCode);
}

function renderCatalog() {
  if (!catalog) return;
  const name = catalog.shop.name;
  byId('shop').textContent = name[language] ?? name.zh ?? 'xiaoer';
  const chosen = select.value;
  const none = document.createElement('option');
  none.value = '';
  none.textContent = '—';
  const options = catalog.products.map((p) => {
    const option = document.createElement('option');
    option.value = p.id;
    option.textContent = `${p.name[language] ?? p.name.zh ?? p.id} — ¥${p.price}`;
    return option;
  });
  select.replaceChildren(none, ...options);
  select.value = chosen;
}

/** @param {ChatMessage[]} all @param {number} from */
function renderMessages(all, from) {
  for (const m of all.slice(from)) {
    const div = document.createElement('div');
    div.className = `msg ${m.from}`;
    const who = document.createElement('div');
    who.className = 'who';
    who.textContent = TEXT[language].who[m.from] ?? m.from;
    div.append(who, document.createTextNode(m.text));
    log.append(div);
  }
  if (all.length > from) log.scrollTop = log.scrollHeight;
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

/** @param {Response} response @returns {Promise<string>} */
async function errorCodeOf(response) {
  const body = /** @type {ErrorBody | undefined} */ (await response.json().catch(() => undefined));
  return body?.error?.code ?? 'other';
}

function forget() {
  conversationId = null;
  sessionStorage.removeItem(STORED_ID);
}

/** A conversation is started only when the buyer first writes: opening the page costs the shop nothing. */
async function start() {
  const response = await fetch('/v1/chat/conversations', { method: 'POST' });
  if (!response.ok) return showError(await errorCodeOf(response));
  conversationId = /** @type {{ conversationId: string }} */ (await response.json()).conversationId;
  sessionStorage.setItem(STORED_ID, conversationId);
}

/** @param {string} text */
async function post(text) {
  /** @type {{ conversationId: string | null, text: string, productId?: string }} */
  const body = { conversationId, text };
  if (select.value) body.productId = select.value;
  return fetch('/v1/chat/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** @param {string} text */
async function send(text) {
  if (!conversationId) await start();
  if (!conversationId) return;
  let response = await post(text);
  if (response.status === 404) {
    // The conversation expired (WEB_CHAT_TTL_HOURS without a message): carry on in a new one.
    forget();
    messages = [];
    log.replaceChildren();
    await start();
    if (!conversationId) return;
    response = await post(text);
  }
  if (!response.ok) return showError(await errorCodeOf(response));
  clearError();
  input.value = '';
}

/** @returns {Promise<number>} when to poll next, in ms */
async function pollOnce() {
  if (!conversationId) return POLL_MS;
  const response = await fetch(`/v1/chat/conversations/${encodeURIComponent(conversationId)}/messages`);
  if (response.status === 404) forget();
  if (response.status === 429) return 1000 * (Number(response.headers.get('retry-after')) || 10);
  if (!response.ok) return POLL_MS;
  const history = /** @type {ChatHistory} */ (await response.json());
  // Only the latest 200 come back: continue after the last one shown, or redraw when it is gone.
  const lastId = messages.at(-1)?.messageId;
  const from = lastId ? history.messages.findIndex((m) => m.messageId === lastId) + 1 : 0;
  messages = history.messages;
  if (history.language && history.language !== language) speak(history.language);
  else if (lastId && from === 0) speak(language);
  else renderMessages(messages, from);
  return document.hidden ? POLL_HIDDEN_MS : POLL_MS;
}

function poll() {
  pollOnce().then(
    (delayMs) => setTimeout(poll, delayMs),
    () => setTimeout(poll, POLL_HIDDEN_MS), // offline or the server restarting: keep trying, more slowly
  );
}

byId('form').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (text) send(text).catch(() => showError('other'));
});

fetch('/v1/chat/products')
  .then((r) => r.json())
  .then((/** @type {ChatCatalog} */ data) => {
    catalog = data;
    renderCatalog();
  })
  .catch(() => showError('other'));
speak(language);
poll();
