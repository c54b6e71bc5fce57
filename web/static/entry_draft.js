// Saves a chronology entry as a draft while the person types it on the
// concern's page, so that nothing is lost if the tab closes or the session
// ends: the concern page gives it back in its form. It only adds to the
// page: an entry refused, or posted as the session ended, is kept on the
// server without any script.
//
// Every ten seconds, if an entry form changed, it is posted to its
// data-entry-autosave address. If the session has ended this script stops
// and says so; the entry form itself still posts, and is kept for after
// sign-in.
const forms = document.querySelectorAll('form[data-entry-autosave]')
let changed = null // the entry form typed into last
let stopped = false

const say = (form, text) => {
  let status = form.querySelector('.app-entry-draft-status')
  if (!status) {
    status = document.createElement('p')
    status.className = 'govuk-body-s app-entry-draft-status'
    status.setAttribute('role', 'status')
    form.append(status)
  }
  status.textContent = text
}

for (const form of forms) {
  form.addEventListener('input', () => { changed = form })
  form.addEventListener('change', () => { changed = form })
  // Once an entry is on its way, a late autosave must not bring back the
  // draft of an entry that has just been added.
  form.addEventListener('submit', () => { stopped = true })
}

const save = async () => {
  const form = changed
  if (!form || stopped) return
  changed = null
  try {
    const res = await fetch(form.dataset.entryAutosave, {
      method: 'POST',
      body: new URLSearchParams(new FormData(form)),
      credentials: 'same-origin',
      headers: { 'Haven-Autosave': '1' },
      redirect: 'manual'
    })
    if (res.status === 204) {
      const time = new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
      say(form, 'Draft saved at ' + time)
    } else if (res.type === 'opaqueredirect') {
      stopped = true
      say(form, 'You have been signed out. What you typed has been kept: press the button below and sign in again to carry on.')
    } else {
      changed = changed || form
    }
  } catch {
    changed = changed || form // offline for a moment: try again next time
  }
}

if (forms.length > 0) setInterval(save, 10000)
