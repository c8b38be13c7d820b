// A failure a guardian page explains in the operator's words: `key` names a sentence of the
// page's catalogue (templates/counting/_guardian_messages.html), `params` fill its {marks}.
// No imports, so the device code stays usable without a page (node tests).

export class PageError extends Error {
  constructor(key, params = {}) {
    super(key);
    this.name = "PageError";
    this.key = key;
    this.params = params;
  }
}
