// The words a page's script writes come from the page: the template renders them with gettext
// into a hidden catalogue (the booth: templates/booth/kiosk.html; the counting board's
// devices: templates/counting/_guardian_messages.html), so they are translated and reviewed
// with the other templates and follow the operator's language. Each is
// `<span data-msg="key">text with {placeholders}</span>`.

/** Read the catalogue under `root` into `t(key, params)`; `t.has(key)` tells if it is there. */
export function loadMessages(root) {
  const catalogue = new Map();
  for (const el of root.querySelectorAll("[data-msg]")) {
    catalogue.set(el.dataset.msg, el.textContent.trim());
  }
  const t = (key, params = {}) => format(catalogue.get(key) ?? key, params);
  t.has = (key) => catalogue.has(key);
  return t;
}

/** Replace each `{name}` in `template` with `params[name]` (unknown names stay). */
export function format(template, params) {
  return template.replace(/\{([a-z_]+)\}/g, (whole, name) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}
