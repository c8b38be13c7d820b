// The dh-vote ballot protocol (PROTOCOL.md, docs/protocol.md) in JavaScript: the twin of the
// Python package crypto/, with the same module names and camelCase function names.
//
// Only @noble/curves and @noble/hashes are used beneath it, with Web-standard APIs only
// (crypto.getRandomValues, TextEncoder, crypto.subtle for AES-GCM), so the same modules run in
// Node and, bundled, in the browser. Verification functions throw (errors.js); none returns
// false. The test-vector helpers (_testing.js) and the private seams that take randomness
// (_sealShare, _sealKeyfile, _computeShare) are deliberately not exported here.

export {
  BallotSecrets,
  CiphertextBallot,
  NONCE_BYTES,
  ROUND_HASH_BYTES,
  RoundContext,
  VERSION,
  auditBallot,
  ballotHash,
  encryptBallot,
  trackingCode,
  verifyAudited,
  verifyBallot,
} from "./ballot.js";
export { MAX_SAFE_INTEGER, canonicalJson, parseJson } from "./canonical.js";
export {
  ALPHABET,
  CODE_CHARS,
  CredentialKey,
  checkPublicCredential,
  formatCode,
  generateCode,
  luhn32Check,
  parseCode,
  verifySignature,
} from "./credential.js";
export {
  DecryptionShare,
  DlogTable,
  combineShares,
  computeShare,
  decryptTally,
  lagrangeCoefficient,
  verifyDecryptionShare,
} from "./decryption.js";
export { openShare, sealShare } from "./ecies.js";
export { Ciphertext, combine, decryptToPoint, encrypt, sumCiphertexts } from "./elgamal.js";
export {
  CryptoError,
  DecryptionError,
  DiscreteLogError,
  EncodingError,
  InvalidBallot,
  InvalidCredential,
  InvalidPoint,
  InvalidProof,
  InvalidScalar,
  InvalidShare,
  InvalidSignature,
} from "./errors.js";
export {
  BallotForm,
  Combination,
  MAX_CANDIDATES,
  agreeDisagree,
  chooseAtMost,
  crossOut,
  formFor,
} from "./forms.js";
export { GROUP_NAME, G, IDENTITY, L, Point, Scalar, smallMultiple } from "./group.js";
export { H, Hs, TAGS, Tag } from "./hashing.js";
export {
  GuardianCommitments,
  MAX_GUARDIANS,
  Polynomial,
  defaultThreshold,
  generateSigningSeed,
  jointKey,
  publicShare,
  signMinutes,
  signingPublicKey,
  verifyCommitments,
  verifyMinutesSignature,
  verifyShare,
} from "./keyceremony.js";
export { openKeyfile, sealKeyfile } from "./keyfile.js";
export { congressHash, credentialListHash, minutesMessage, roundHash } from "./manifest.js";
export {
  CompactProof,
  MembershipProof,
  proveDecryption,
  proveMembership,
  proveSchnorr,
  verifyDecryption,
  verifyMembership,
  verifySchnorr,
} from "./proofs.js";
