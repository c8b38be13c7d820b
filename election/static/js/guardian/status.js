// The status line of a guardian page (role="status", aria-live="polite"): what is happening,
// what went wrong. Text only; CSS marks errors with a symbol as well as a colour.

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
  if (!file) throw new Error("Chưa chọn tệp khóa.");
  if (file.size > 64 * 1024) throw new Error("Tệp quá lớn để là tệp khóa.");
  try {
    return JSON.parse(await file.text());
  } catch {
    throw new Error("Tệp đã chọn không phải tệp khóa (JSON).");
  }
}
