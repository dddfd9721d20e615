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
