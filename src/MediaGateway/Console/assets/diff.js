// A line diff (longest common subsequence) for the reviewer's "what changed since the previous revision".

/** [{op: ' '|'-'|'+', text}] turning the lines of a into the lines of b. */
export function diffLines(a, b) {
  const x = a.split('\n');
  const y = b.split('\n');
  // Common head and tail first: revisions usually change a little in the middle.
  let head = 0;
  while (head < x.length && head < y.length && x[head] === y[head]) head++;
  let tail = 0;
  while (tail < x.length - head && tail < y.length - head && x[x.length - 1 - tail] === y[y.length - 1 - tail]) tail++;
  const xs = x.slice(head, x.length - tail);
  const ys = y.slice(head, y.length - tail);
  const n = xs.length;
  const m = ys.length;
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = xs[i] === ys[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out = x.slice(0, head).map((text) => ({ op: ' ', text }));
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && xs[i] === ys[j]) { out.push({ op: ' ', text: xs[i] }); i++; j++; }
    else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) { out.push({ op: '+', text: ys[j] }); j++; }
    else { out.push({ op: '-', text: xs[i] }); i++; }
  }
  return out.concat(x.slice(x.length - tail).map((text) => ({ op: ' ', text })));
}

// Words for a Chinese text: each Han character is a word; Latin words and numbers stay whole; spaces and marks apart.
const WORD = /[\u3400-\u9fff\uf900-\ufaff]|[\p{L}\p{N}_]+|\s+|[^]/gu;
// Above this many cells a changed run is shown as removed-then-added rather than compared word by word.
const MAX_CELLS = 2_000_000;

function diffTokens(xs, ys) {
  const n = xs.length;
  const m = ys.length;
  if (n * m > MAX_CELLS) return [{ op: '-', text: xs.join('') }, { op: '+', text: ys.join('') }];
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = xs[i] === ys[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && xs[i] === ys[j]) { out.push({ op: ' ', text: xs[i] }); i++; j++; }
    else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) { out.push({ op: '-', text: xs[i] }); i++; }
    else { out.push({ op: '+', text: ys[j] }); j++; }
  }
  return out;
}

/**
 * [{op: ' '|'-'|'+', text}] turning text a into text b word by word (a Han character is a word), adjacent pieces of the
 * same kind joined. Lines are compared first, so a long article costs little when a few paragraphs change.
 */
export function diffWords(a, b) {
  const lines = diffLines(a, b);
  const out = [];
  const push = (op, text) => {
    if (!text) return;
    const last = out.at(-1);
    if (last && last.op === op) last.text += text; else out.push({ op, text });
  };
  for (let k = 0; k < lines.length;) {
    if (lines[k].op === ' ') { push(' ', lines[k].text + '\n'); k++; continue; }
    const removed = [];
    const added = [];
    while (k < lines.length && lines[k].op !== ' ') {
      (lines[k].op === '-' ? removed : added).push(lines[k].text);
      k++;
    }
    const words = (s) => (s ? s.match(WORD) : []);
    const before = removed.length ? removed.join('\n') + '\n' : '';
    const after = added.length ? added.join('\n') + '\n' : '';
    for (const d of diffTokens(words(before), words(after))) push(d.op, d.text);
  }
  if (out.length) out.at(-1).text = out.at(-1).text.replace(/\n$/, '');
  return out.filter((d) => d.text);
}
