// Haven's only script. Every page works without it; it adds GOV.UK Frontend's
// enhancements (error summary focus, show/hide password, mobile menu).
//
// It is an external ES module rather than GOV.UK's usual inline snippet so
// the Content-Security-Policy can stay at script-src 'self'. Browsers that
// don't understand modules never run it, which is exactly the set GOV.UK
// Frontend doesn't support.
import { initAll } from './govuk-frontend.min.js'
import './draft.js' // autosaves the concern form; optional like everything here
import './entry_draft.js' // autosaves chronology entries as they are typed
import './urgent.js' // words the immediate-danger question for the subject chosen
import './body_map.js' // places a mark on the body map's outlines with a pointer
import { focusFragmentTarget } from './focus.js'

document.body.classList.add('govuk-frontend-supported')
initAll()
// A conditional reveal on the concern form: what applies only to some
// answers of "Who is the concern about?" (the §5.2 checklist, for a child)
// is hidden while another is chosen. Without the script it is always shown,
// and the server files it only for the answers it applies to. Not GOV.UK's
// own reveal, which puts aria-expanded on the radios (govuk-frontend #979).
const subjectRadios = document.querySelectorAll('input[type="radio"][name="subject"]')
const shownForSubject = document.querySelectorAll('[data-shown-for-subject]')
if (subjectRadios.length > 0 && shownForSubject.length > 0) {
  const reveal = () => {
    const chosen = document.querySelector('input[type="radio"][name="subject"]:checked')
    shownForSubject.forEach((el) => {
      el.hidden = chosen !== null && chosen.value !== el.dataset.shownForSubject
    })
  }
  subjectRadios.forEach((r) => r.addEventListener('change', reveal))
  reveal()
}

// After GOV.UK Frontend, whose error summary takes the focus on a page with
// errors; a page that came back to a place of work (the pupils found,
// the entry just added: #entry-42) has none.
focusFragmentTarget()
