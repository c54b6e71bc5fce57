// The body map's outlines, for a pointer. Without this script the form
// records a mark by choosing its region from the list, which works by
// keyboard alone; with it, the outlines are shown too, and selecting a
// place on one chooses that region in the list and keeps the exact place
// (the hidden x and y), drawn as a dot. Choosing another region from the
// list forgets the place, and the server puts the mark in the middle of
// the region chosen.
const SVG = 'http://www.w3.org/2000/svg'

for (const form of document.querySelectorAll('[data-body-map-form]')) {
  const picker = form.querySelector('[data-body-map-picker]')
  const region = form.querySelector('[data-body-map-region]')
  const x = form.querySelector('[data-body-map-x]')
  const y = form.querySelector('[data-body-map-y]')
  if (!picker || !region || !x || !y) continue
  picker.hidden = false

  const forget = () => {
    for (const dot of picker.querySelectorAll('.haven-body-map__mark')) dot.remove()
    for (const r of picker.querySelectorAll('.haven-body-map__region--chosen')) {
      r.classList.remove('haven-body-map__region--chosen')
    }
  }
  const show = (shape, px, py) => {
    forget()
    shape.classList.add('haven-body-map__region--chosen')
    const dot = document.createElementNS(SVG, 'circle')
    dot.setAttribute('class', 'haven-body-map__mark')
    dot.setAttribute('cx', px)
    dot.setAttribute('cy', py)
    dot.setAttribute('r', '7')
    shape.ownerSVGElement.appendChild(dot)
  }

  picker.addEventListener('click', (event) => {
    const shape = event.target.closest('[data-region]')
    if (!shape) return
    const svg = shape.ownerSVGElement
    const at = new DOMPoint(event.clientX, event.clientY).matrixTransform(svg.getScreenCTM().inverse())
    const px = Math.round(at.x)
    const py = Math.round(at.y)
    region.value = shape.dataset.side + ':' + shape.dataset.region
    x.value = String(px)
    y.value = String(py)
    show(shape, px, py)
  })

  region.addEventListener('change', () => {
    x.value = ''
    y.value = ''
    forget()
  })

  // A form that came back with a place kept shows it again.
  if (region.value && x.value && y.value) {
    const [side, key] = region.value.split(':')
    const shape = picker.querySelector(`[data-side="${side}"][data-region="${key}"]`)
    if (shape) show(shape, x.value, y.value)
  }
}
