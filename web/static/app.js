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
import { focusFragmentTarget } from './focus.js'

document.body.classList.add('govuk-frontend-supported')
initAll()
// After GOV.UK Frontend, whose error summary takes the focus on a page with
// errors; a page that came back to a place of work (the pupils found,
// the entry just added: #entry-42) has none.
focusFragmentTarget()
