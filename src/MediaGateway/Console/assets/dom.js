// Building elements without innerHTML: every text from the API goes in as text, never as markup.

/** h('div.cls#id', {attr: v, onclick: fn}, child, …) — children are nodes, strings or arrays; null/false are skipped. */
export function h(spec, attrs, ...children) {
  const [, tag = 'div', rest = ''] = /^([a-z0-9]*)(.*)$/i.exec(spec);
  const el = document.createElement(tag || 'div');
  for (const part of rest.match(/[.#][^.#]+/g) || []) {
    if (part[0] === '.') el.classList.add(part.slice(1)); else el.id = part.slice(1);
  }
  if (attrs !== null && attrs !== undefined && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'value') el.value = v;
    else if (k === 'checked') el.checked = !!v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

/** Every time a person sees is China time (Asia/Shanghai), whatever the browser's zone. */
export const CHINA_TIME = 'Asia/Shanghai';

export function formatTime(value) {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? String(value) : d.toLocaleString(document.documentElement.lang || 'zh-CN', { hour12: false, timeZone: CHINA_TIME });
}

/** "14:05" when the time is today in China, else "2月14日 08:00" (China time, 24-hour clock). */
export function formatClock(value) {
  if (!value) return '';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const lang = document.documentElement.lang || 'zh-CN';
  const day = (x) => x.toLocaleDateString('en-CA', { timeZone: CHINA_TIME });
  const clock = d.toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: CHINA_TIME });
  if (day(d) === day(new Date())) return clock;
  return `${d.toLocaleDateString(lang, { month: 'long', day: 'numeric', timeZone: CHINA_TIME })} ${clock}`;
}

export function debounce(fn, ms) {
  let timer;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}
