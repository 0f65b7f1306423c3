(async () => {
const root = document.getElementById('cc-explorer');
const meta = JSON.parse(document.getElementById('cc-meta').textContent);
const b64 = document.getElementById('cc-blob').textContent.trim();
const packed = await (await fetch('data:application/octet-stream;base64,' + b64))
  .arrayBuffer();  // the browser's own base64 decoder
const bytes = new Uint8Array(await new Response(
  new Blob([packed]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
const N = meta.n, S = meta.size, C = meta.classes, HEAT_OVER = 20, PAIRS = 10;
const images = bytes.subarray(0, N * S * S * 3);
let offset = N * S * S * 3; const maps = {};
for (const t of meta.targets) {
  maps[t] = {};
  for (const l of meta.layers) {
    const n = N * l.h * l.w;
    maps[t][l.name] = bytes.subarray(offset, offset + n);
    offset += n;
  }
}
const nbrImages = bytes.subarray(offset, offset + (meta.n_nbr_images || 0) * S * S * 3);
const lut = meta.lut;
const $ = s => root.querySelector(s);
// names are text, in markup and attributes
const esc = s => String(s).replace(/[&<>"']/g,
  ch => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[ch]);
const state = {};
function readHash() {
  const h = new URLSearchParams(location.hash.slice(1));
  state.true = h.get('true'); state.pred = h.get('pred');
  state.layer = meta.layers.some(l => l.name === h.get('layer')) ? h.get('layer')
    : (meta.default || meta.layers[meta.layers.length - 1].name);
  state.target = ['predicted', 'true', 'both'].includes(h.get('target')) ? h.get('target') : 'both';
  state.sort = ['confidence', 'loss', 'label', 'index'].includes(h.get('sort')) ? h.get('sort') : 'confidence';
  state.suspect = h.get('suspect') === '1';
  const o = parseFloat(h.get('opacity')); state.opacity = isFinite(o) ? Math.min(1, Math.max(0, o)) : 0.5;
  $('.cc-layer').value = state.layer; $('.cc-target').value = state.target;
  $('.cc-sort').value = state.sort; $('.cc-opacity').value = state.opacity;
  $('.cc-suspect').checked = state.suspect;
}
// '#true=cat&…' is a view; '#summary' is the report's anchor, not ours
const isView = hash => !hash || hash.includes('=');
function writeHash(changes) {
  const h = new URLSearchParams(isView(location.hash) ? location.hash.slice(1) : '');
  for (const [k, v] of Object.entries(changes)) { if (v === null || v === undefined) h.delete(k); else h.set(k, v); }
  location.hash = h.toString();
}
// bilinear, align_corners=False (as torch and the Python figures), then scaled to [0, 1]
function upsample(src, h, w) {
  const out = new Float32Array(S * S); const sy = h / S, sx = w / S;
  for (let y = 0; y < S; y++) {
    let fy = Math.max(0, (y + 0.5) * sy - 0.5);
    const y0 = Math.min(h - 1, Math.floor(fy)), y1 = Math.min(h - 1, y0 + 1); fy -= y0;
    for (let x = 0; x < S; x++) {
      let fx = Math.max(0, (x + 0.5) * sx - 0.5);
      const x0 = Math.min(w - 1, Math.floor(fx)), x1 = Math.min(w - 1, x0 + 1); fx -= x0;
      out[y * S + x] = (1 - fy) * ((1 - fx) * src[y0 * w + x0] + fx * src[y0 * w + x1])
        + fy * ((1 - fx) * src[y1 * w + x0] + fx * src[y1 * w + x1]);
    }
  }
  let lo = Infinity, hi = -Infinity; for (const v of out) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  for (let k = 0; k < out.length; k++) out[k] = hi > lo ? (out[k] - lo) / (hi - lo) : 0;
  return out;
}
function draw(canvas, i, target, nbr) {  // the image with a map over it, or (`nbr`) one of its neighbours
  const ctx = canvas.getContext('2d'); const img = ctx.createImageData(S, S);
  const px = nbr === undefined ? images.subarray(i * S * S * 3, (i + 1) * S * S * 3)
    : nbrImages.subarray(nbr * S * S * 3, (nbr + 1) * S * S * 3);
  let m = null;
  if (target) {
    const l = meta.layers.find(l => l.name === state.layer);
    m = upsample(maps[target][l.name].subarray(i * l.h * l.w, (i + 1) * l.h * l.w), l.h, l.w);
  }
  const a = m ? state.opacity : 0;
  for (let k = 0; k < S * S; k++) {
    const c = m ? lut[Math.min(255, Math.floor(m[k] * 256))] : [0, 0, 0];
    for (let ch = 0; ch < 3; ch++) img.data[4 * k + ch] = Math.round((1 - a) * px[3 * k + ch] + a * c[ch]);
    img.data[4 * k + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}
const observer = new IntersectionObserver(
  es => es.forEach(e => { if (e.isIntersecting) { paint(e.target); observer.unobserve(e.target); } }),
  {rootMargin: '400px'});
function paint(card) {  // cards are empty boxes until they scroll into view: thousands of them stay cheap
  const i = +card.dataset.i;
  if (!card.firstChild) card.innerHTML = content(i);
  card.querySelectorAll('canvas').forEach(c => c.dataset.nbr === undefined ? draw(c, i, c.dataset.target || null)
    : draw(c, i, null, meta.nbr[i][+c.dataset.nbr]));
  card.dataset.painted = '1';
}
const fmt = v => v.toFixed(2);
function card(i) {
  const d = document.createElement('div');
  d.className = 'cc-card' + (meta.correct[i] ? ' cc-correct' : ''); d.dataset.i = i;
  d.dataset.true = C[meta.label[i]]; d.dataset.pred = C[meta.pred[i]]; d.dataset.suspect = meta.suspect[i];
  if (meta.flagged[i]) d.dataset.flagged = '1';
  d.style.width = (state.target === 'both' ? 3 : 2) * 99 + 'px';
  return d;
}
function content(i) {
  const targets = state.target === 'both' ? meta.targets : [state.target];
  const caption = t => t ? `${t}: ${esc(C[t === 'true' ? meta.label[i] : meta.pred[i]])}` : 'image';
  const canv = [null, ...targets].map(t => `<figure><canvas width="${S}" height="${S}"`
    + `${t ? ` data-target="${t}"` : ''}></canvas><figcaption>${caption(t)}</figcaption></figure>`).join('');
  const shown = meta.nbr ? meta.nbr[i].length : 0;
  const agree = shown ? meta.nbr_label[i].filter(l => l === meta.suggested[i]).length : 0;
  const why = agree ? `${agree} of its ${shown} nearest training images are <i>${esc(C[meta.suggested[i]])}</i>`
    : `looks like <i>${esc(C[meta.suggested[i]])}</i>`;
  const badge = (meta.flagged[i] ? `<div class="cc-badge">label may be wrong: ${why}</div>` : '')
    + (!meta.copy_sim ? ''
       : meta.copy_sim[i] >= meta.copy_threshold
         ? `<div class="cc-badge">near-copy of a training image (#${meta.copy_index[i]}, similarity `
           + `${fmt(meta.copy_sim[i])})</div>`
         : meta.copy_sim[i] >= meta.similar_threshold
           ? `<div class="cc-similar">very similar to a training image (#${meta.copy_index[i]}, similarity `
             + `${fmt(meta.copy_sim[i])}): review</div>`
           : '');
  const nbrFigure = k => `<figure><canvas width="${S}" height="${S}" data-nbr="${k}"></canvas><figcaption>`
    + `${esc(C[meta.nbr_label[i][k]])} ${fmt(meta.nbr_sim[i][k])}</figcaption></figure>`;
  const nbrs = shown ? `<div class="cc-row cc-nbrs">${meta.nbr[i].map((_, k) => nbrFigure(k)).join('')}`
    + '<figcaption>nearest training images</figcaption></div>' : '';
  return `<div class="cc-title">${esc(C[meta.label[i]])} → ${esc(C[meta.pred[i]])}</div>${badge}`
    + `<div class="cc-row">${canv}</div>${nbrs}
     <div class="cc-nums">p(${esc(C[meta.pred[i]])})=${fmt(meta.p_pred[i])} · p(${esc(C[meta.label[i]])})=`
    + `${fmt(meta.p_true[i])} · loss ${fmt(meta.loss[i])} · label issue ${fmt(meta.suspect[i])}`
    + ` · #${meta.index[i]}</div>`;
}
function selected() {
  let ids = [...Array(N).keys()];
  const t = state.true === null ? null : C.indexOf(state.true), p = state.pred === null ? null : C.indexOf(state.pred);
  const diagonal = t !== null && p !== null && t === p;
  ids = ids.filter(i => (diagonal ? meta.correct[i] : !meta.correct[i]) && (t === null || meta.label[i] === t)
    && (p === null || meta.pred[i] === p) && (!state.suspect || meta.flagged[i]));
  const key = {confidence: i => diagonal ? meta.p_pred[i] : -meta.p_pred[i], loss: i => -meta.loss[i],
               label: i => -meta.suspect[i], index: i => meta.index[i]}[state.sort];
  return ids.sort((a, b) => key(a) - key(b) || meta.index[a] - meta.index[b]);
}
function render() {
  readHash();
  const ids = selected(); const box = $('.cc-cards'); box.replaceChildren();
  observer.disconnect();
  const frag = document.createDocumentFragment();
  for (const i of ids) { const c = card(i); frag.appendChild(c); }
  box.appendChild(frag); box.querySelectorAll('.cc-card').forEach(c => observer.observe(c));
  const what = state.true && state.pred && state.true === state.pred ? `${state.true}: correct, least confident first` :
    `${state.suspect ? 'flagged ' : ''}mistakes${state.true ? ' of true ' + state.true : ''}`
    + `${state.pred ? ' predicted ' + state.pred : ''}`;
  $('.cc-status').textContent = `${ids.length} shown (${what}); ${meta.n_mistakes} mistakes in all`
    + (meta.capped ? ` (of ${meta.capped} on the test set)` : '');
  const on = e => (e.dataset.true === undefined || e.dataset.true === state.true)
    && (e.dataset.pred === undefined || e.dataset.pred === state.pred)
    && (e.dataset.true !== undefined || e.dataset.pred !== undefined);
  root.querySelectorAll('.cc-cm td, .cc-cm th, .cc-pair').forEach(e => e.classList.toggle('cc-on', on(e)));
  root.dataset.shown = ids.length; root.dataset.mistakes = meta.n_mistakes;
}
function confusion() {
  const off = meta.cm.flatMap((r, a) => r.map((v, b) => [v, a, b]).filter(([v, a, b]) => a !== b && v > 0));
  const max = Math.max(0, ...off.map(o => o[0]));
  // many classes: a heat map of small cells, named on hover, and the list of pairs below
  const heat = C.length > HEAT_OVER;
  const at = (a, b) => `data-true="${esc(C[a])}" data-pred="${esc(C[b])}" `
    + `title="${esc(C[a])} → ${esc(C[b])}: ${meta.cm[a][b]}"`;
  let h = `<table class="cc-cm${heat ? ' cc-heat' : ''}"><tr><th>true ↓ pred →</th>`
    + C.map(c => `<th data-pred="${esc(c)}" title="predicted ${esc(c)}">${heat ? '' : esc(c)}</th>`).join('') + '</tr>';
  const colour = (a, b, v) => a === b ? '#e8f0e8' : `rgba(200,40,40,${max ? v / max : 0})`;
  meta.cm.forEach((r, a) => {
    h += `<tr><th data-true="${esc(C[a])}">${esc(C[a])}</th>`
      + r.map((v, b) => `<td ${at(a, b)} style="background:${colour(a, b, v)}">${heat ? '' : v}</td>`).join('')
      + '</tr>';
  });
  const pairs = off.sort((x, y) => y[0] - x[0] || x[1] - y[1] || x[2] - y[2]).slice(0, PAIRS);
  const list = pairs.map(([v, a, b]) => `<li><a href="#${esc(new URLSearchParams({true: C[a], pred: C[b]}))}" `
    + `class="cc-pair" ${at(a, b)}>${esc(C[a])} → ${esc(C[b])}</a> ${v}</li>`).join('');
  $('.cc-cmbox').innerHTML = h + '</table><a href="#" class="cc-all">all mistakes</a>'
    + (pairs.length ? `<div class="cc-pairs">Most confused pairs<ol>${list}</ol></div>` : '');
  $('.cc-cmbox').addEventListener('click', e => {
    const el = e.target.closest('td, th, .cc-all, .cc-pair'); if (!el) return; e.preventDefault();
    if (el.classList.contains('cc-all')) return writeHash({true: null, pred: null});
    writeHash({true: el.dataset.true ?? null, pred: el.dataset.pred ?? null});
  });
}
function colourbar() {
  const c = $('.cc-bar'); const ctx = c.getContext('2d');
  for (let k = 0; k < 256; k++) { ctx.fillStyle = `rgb(${lut[k].join(',')})`; ctx.fillRect(k, 0, 1, c.height); }
}
$('.cc-layer').innerHTML = meta.layers.map(l => `<option>${esc(l.name)}</option>`).join('');
$('.cc-layer').onchange = e => writeHash({layer: e.target.value});
$('.cc-target').onchange = e => writeHash({target: e.target.value});
$('.cc-sort').onchange = e => writeHash({sort: e.target.value});
$('.cc-suspect').onchange = e => writeHash({suspect: e.target.checked ? '1' : null});
$('.cc-opacity').oninput = e => {
  state.opacity = +e.target.value; root.querySelectorAll('.cc-card[data-painted]').forEach(paint);
};
$('.cc-opacity').onchange = e => writeHash({opacity: e.target.value});
window.addEventListener('hashchange', () => { if (isView(location.hash)) render(); });
confusion(); colourbar(); render(); $('.cc-controls').hidden = false;  // controls only where the script runs
})();
