// Puts the keyboard focus on the element the address's fragment names
// ("/concerns#pupil-results"), when that element is made to take it
// (tabindex="-1"). A page that comes back after a button press (the pupils
// found, the entry just added) names where the person was working in its
// fragment: the browser scrolls there without a script, and this moves the
// focus there too, so that a screen reader and the Tab key carry on from
// that place rather than from the top of a long page.
//
// Elements without tabindex="-1" are left alone: a fragment that happens to
// name a heading or a field is only scrolled to, as browsers always do. A
// page with an error summary keeps the focus there (GOV.UK Frontend puts
// it there): what went wrong comes before where the person was.
export function focusFragmentTarget () {
  let id
  try {
    id = decodeURIComponent(window.location.hash.slice(1))
  } catch {
    return // a fragment no page of Haven's names
  }
  if (!id || document.querySelector('.govuk-error-summary')) return
  const target = document.getElementById(id)
  if (target && target.getAttribute('tabindex') === '-1') {
    target.focus()
  }
}
