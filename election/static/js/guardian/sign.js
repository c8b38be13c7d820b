// The minutes-signing page (templates/counting/sign.html): open the member's key file and sign
// the minutes' canonical data with the key registered at the key ceremony; the server checks
// the signature before keeping it.

import { minutesSignature, openMemberKeyfile } from "./device.js";
import { getJSON, postJSON } from "./http.js";
import { loadMessages } from "../common/messages.js";
import { describeError, PageError, readJsonFile, statusLine } from "./status.js";

export class SignPage {
  constructor(root) {
    this.root = root;
    this.status = statusLine(root);
    this.t = loadMessages(root);
    this.urls = { minutes: root.dataset.minutesUrl, sign: root.dataset.signUrl };
  }

  start() {
    this.root.querySelector('[data-action="sign"]')?.addEventListener("click", () => this.run());
  }

  async run() {
    const button = this.root.querySelector('[data-action="sign"]');
    button.disabled = true;
    try {
      const minutes = await getJSON(this.urls.minutes);
      if (minutes.me === null) throw new PageError("no_share");
      const keyfile = await readJsonFile(this.root.querySelector('[data-role="keyfile"]'));
      this.status(this.t("keyfile_opening"));
      const passphrase = this.root.querySelector('[data-role="passphrase"]').value;
      const { signingSeed } = await openMemberKeyfile(keyfile, passphrase, {
        congress: minutes.congress,
        index: minutes.me,
      });
      await postJSON(this.urls.sign, minutesSignature(minutes, signingSeed));
      this.status(this.t("minutes_signed"), "ok");
      window.location.reload();
    } catch (error) {
      this.status(describeError(this.t, error), "error");
      button.disabled = false;
    }
  }
}
