// Entry for every page (templates/base.html loads it through asset("app.js")).
// Progressive enhancement only: pages work without it, and CSS can key on the `js` class.
document.documentElement.classList.add("js");
