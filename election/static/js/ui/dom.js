// Small DOM helpers shared by the hall screen and the consoles. Text is always set with
// textContent, never innerHTML: everything shown comes from the server as plain text.

/**
 * The value at a dotted path ("round.cast_text") of a JSON object, or undefined.
 * @param {any} data
 * @param {string} path
 */
export function valueAt(data, path) {
  let value = data;
  for (const key of path.split(".")) {
    if (value === null || value === undefined) {
      return undefined;
    }
    value = value[key];
  }
  return value;
}

/**
 * Copy the value named by each element's data-field attribute into its text, when it changed.
 * @param {ParentNode} root
 * @param {any} data
 */
export function setFields(root, data) {
  for (const element of root.querySelectorAll("[data-field]")) {
    const value = valueAt(data, element.dataset.field);
    const text = value === null || value === undefined ? "" : String(value);
    if (element.textContent !== text) {
      element.textContent = text;
    }
  }
}

/**
 * Show the elements marked data-when="name" when `visible`, hide them otherwise.
 * @param {ParentNode} root
 * @param {string} name
 * @param {boolean} visible
 */
export function showWhen(root, name, visible) {
  for (const element of root.querySelectorAll(`[data-when="${name}"]`)) {
    element.hidden = !visible;
  }
}

/**
 * An element with text, built without parsing HTML.
 * @param {string} tag
 * @param {string} [text]
 * @param {string} [className]
 */
export function element(tag, text = "", className = "") {
  const node = document.createElement(tag);
  if (text) {
    node.textContent = text;
  }
  if (className) {
    node.className = className;
  }
  return node;
}
