// The counting board's pages (templates/counting/): the key ceremony, the decryption share
// and the minutes signature, each computed in this browser (../guardian/). The page's section
// names which one it is with data-guardian-page.

import { loadMessages } from "../common/messages.js";
import { CeremonyPage } from "../guardian/ceremony.js";
import { DecryptPage } from "../guardian/decrypt.js";
import { SignPage } from "../guardian/sign.js";
import { describeError } from "../guardian/status.js";

const PAGES = { ceremony: CeremonyPage, decrypt: DecryptPage, sign: SignPage };

const root = document.querySelector("[data-guardian-page]");
if (root) {
  const Page = PAGES[root.dataset.guardianPage];
  if (Page) {
    Promise.resolve(new Page(root).start()).catch((error) => {
      const line = root.querySelector('[data-role="status"]');
      if (line) {
        line.textContent = describeError(loadMessages(root), error);
        line.dataset.kind = "error";
      }
    });
  }
}
