// The status line of a guardian page (role="status", aria-live="polite"): what is happening,
// what went wrong. Text only; CSS marks errors with a symbol as well as a colour. The words
// come from the page's catalogue (templates/counting/_guardian_messages.html).

import { DecryptionError, EncodingError } from "../crypto/errors.js";
import { PageError } from "./errors.js";
import { RequestRefused } from "./http.js";

export { PageError };

/**
 * The sentence for `error` in the page's language: the catalogue's words for our own
 * failures and the key file's, the server's own sentence for a refusal (already translated).
 */
export function describeError(t, error) {
  if (error instanceof PageError && t.has(error.key)) return t(error.key, error.params);
  if (error instanceof DecryptionError) return t("error_passphrase");
  if (error instanceof EncodingError) return t("error_keyfile_format", { detail: error.message });
  if (error instanceof RequestRefused) return error.message;
  if (error instanceof TypeError && /fetch|network/i.test(String(error.message))) {
    return t("error_network");
  }
  return t("error_unexpected", { detail: String(error?.message ?? error) });
}

/**
 * @param {HTMLElement} root the page's section
 * @returns {(text: string, kind?: "info" | "ok" | "error") => void}
 */
export function statusLine(root) {
  const line = root.querySelector('[data-role="status"]');
  return (text, kind = "info") => {
    if (!line) return;
    line.textContent = text;
    line.dataset.kind = kind;
  };
}

/** The text of a file input's chosen file parsed as JSON (a Promise). */
export async function readJsonFile(input) {
  const file = input && input.files && input.files[0];
  if (!file) throw new PageError("file_none");
  if (file.size > 64 * 1024) throw new PageError("file_too_big");
  try {
    return JSON.parse(await file.text());
  } catch {
    throw new PageError("file_not_json");
  }
}
