// Words the concern form's "Is the child in immediate danger…" question, and
// the emergency panel beneath its "Yes", for the subject as it is chosen:
// the child a concern is about, or the children an adult may harm. The
// server words them for the subject it was sent (web/emergency.templ); this
// only keeps them in step before the form is sent. Each element carries
// both wordings (data-child, data-adult).
const subjects = document.querySelectorAll('input[name="subject"]')
const worded = document.querySelectorAll('[data-child][data-adult]')

const reword = () => {
  const chosen = [...subjects].find((s) => s.checked)
  if (!chosen) return
  const adult = chosen.value !== 'pupils'
  for (const el of worded) {
    el.textContent = adult ? el.dataset.adult : el.dataset.child
  }
}

for (const s of subjects) s.addEventListener('change', reword)
