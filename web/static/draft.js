// Saves the concern form as a draft while the person types, so nothing is
// lost if the tab closes or the session ends. It only adds to the form: the
// "Save draft" button, the "Find pupils" button and a failed submission all
// save the draft on the server without any script.
//
// Every ten seconds, if anything changed, the form is posted to its
// data-autosave address. If the session has ended the server keeps the form
// for after sign-in, and this script stops and says so.
const form = document.querySelector('form[data-autosave]')

if (form) {
  const status = document.getElementById('draft-status')
  let changed = false
  let stopped = false

  const say = (text) => {
    if (status) status.textContent = text
  }

  form.addEventListener('input', () => { changed = true })
  form.addEventListener('change', () => { changed = true })
  // Once the form is on its way, a late autosave must not bring back a
  // draft of a concern that has just been logged.
  form.addEventListener('submit', () => { stopped = true })

  const save = async () => {
    if (!changed || stopped) return
    changed = false
    const body = new URLSearchParams(new FormData(form))
    try {
      const res = await fetch(form.dataset.autosave, {
        method: 'POST',
        body,
        credentials: 'same-origin',
        headers: { 'Haven-Autosave': '1' },
        redirect: 'manual'
      })
      if (res.status === 204) {
        const time = new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
        say('Draft saved at ' + time)
      } else if (res.type === 'opaqueredirect') {
        stopped = true
        say('You have been signed out. What you typed has been kept: press "Log concern" and sign in again to carry on.')
      } else {
        changed = true
      }
    } catch {
      changed = true // offline for a moment: try again next time
    }
  }

  setInterval(save, 10000)
}
