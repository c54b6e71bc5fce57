// Returns the person to the place they were working: after a form comes
// back (an entry just added to the chronology, say), the page's address
// names that place with its fragment, and the browser has scrolled to it;
// this moves the keyboard focus there too, so the next Tab goes on from it
// rather than from the top of a long page. The element is focusable
// (tabindex="-1") where the page means it to be returned to.
const id = decodeURIComponent(window.location.hash.slice(1))
const place = id && document.getElementById(id)

if (place && place.getAttribute('tabindex') === '-1') {
  place.focus()
}
