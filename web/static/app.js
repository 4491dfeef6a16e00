// Lifeboat's own script: small enhancements only; every page works without it.
"use strict";

// Styles can tell that scripts run, to hide what only a page without them
// needs, such as a button that updates a preview htmx keeps current.
document.documentElement.classList.add("js");

// Forms with a data-confirm attribute ask before they are sent, such as
// deleting a team or removing a dependency.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const message = form instanceof HTMLFormElement ? form.dataset.confirm : undefined;
  if (message && !window.confirm(message)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);
