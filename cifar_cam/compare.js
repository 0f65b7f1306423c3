// The comparison's gallery filters: "wrong in" a run (any, every) and "right in" a run; the root's data-shown says how
// many cards are shown once a filter is applied.
(() => {
  const root = document.getElementById('cc-compare'), cards = [...root.querySelectorAll('.cc-card')];
  const wrongIn = root.querySelector('.cc-wrong'), rightIn = root.querySelector('.cc-right');
  const status = root.querySelector('.cc-status');
  function show() {
    const w = wrongIn.value, r = rightIn.value;
    let n = 0;
    for (const c of cards) {
      const wrong = c.dataset.wrong.split(' ');
      const keep = (w === 'any' || (w === 'all' ? wrong.length === +root.dataset.runs : wrong.includes(w)))
        && (r === 'any' || !wrong.includes(r));
      c.hidden = !keep;
      n += keep;
    }
    status.textContent = `${n} of ${cards.length} images shown`;
    root.dataset.shown = n;
  }
  wrongIn.onchange = rightIn.onchange = show;
  show();
})();
