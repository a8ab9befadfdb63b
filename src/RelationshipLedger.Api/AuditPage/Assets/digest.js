// The audit page's digest panel: an exported digest file sent to POST /ledger/verify, and the answer
// shown as a sentence and, when the log does not extend the digest, one line per stream named.

import { ApiError, verifyAgainstDigest } from "./api.js";
import { element, instant } from "./format.js";

const byId = (id) => document.getElementById(id);

function showAnswer({ signerPublicKey, verification }) {
  const status = byId("digest-status");
  const digest = verification.comparedWith;
  status.dataset.valid = String(verification.valid);
  status.className = verification.valid ? "ok" : "bad";
  status.textContent = verification.valid
    ? `The log extends digest ${digest.id} taken ${instant(digest.takenAt)}: all ${digest.streams} stream(s) it saw ` +
      `still hold their heads, and ${verification.events} event(s) in ${verification.streams} stream(s) verify. ` +
      `Signed by key ${signerPublicKey.slice(-16)}.`
    : `The log does not extend digest ${digest.id}: ${verification.problems.length} problem(s).`;
  byId("digest-problems").replaceChildren(
    ...verification.problems.map((p) => element("li", {}, `${p.streamId}: ${p.problem} — ${p.reason}`)),
  );
}

function showFailure(message) {
  const status = byId("digest-status");
  status.dataset.valid = "false";
  status.className = "bad";
  status.textContent = message;
  byId("digest-problems").replaceChildren();
}

byId("digest-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const file = byId("digest-file").files[0];
  if (!file) return showFailure("Choose a digest file.");
  byId("digest-status").textContent = "Verifying the whole log…";
  try {
    showAnswer(await verifyAgainstDigest(await file.text()));
  } catch (error) {
    showFailure(error instanceof ApiError ? error.message : String(error));
  }
});
