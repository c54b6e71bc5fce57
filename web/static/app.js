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
import './return.js' // focuses the place the page came back at (#entry-42)

document.body.classList.add('govuk-frontend-supported')
initAll()
