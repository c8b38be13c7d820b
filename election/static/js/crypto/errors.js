// Errors raised by the crypto modules: the twin of crypto/errors.py.
//
// Every verification function throws; none returns false. The tree:
//
//     CryptoError                  base of everything below
//     ├── EncodingError            bytes, hex or JSON that do not decode strictly
//     │   ├── InvalidPoint         not a canonical point of the prime-order subgroup
//     │   └── InvalidScalar        not a canonical scalar in [0, L) (or zero where refused)
//     ├── InvalidProof             a zero-knowledge proof does not verify
//     ├── InvalidSignature         an Ed25519 signature does not verify
//     ├── InvalidCredential        a credential code or public credential is refused
//     ├── InvalidShare             a Feldman share disagrees with its dealer's commitments
//     ├── InvalidBallot            a ballot is malformed for its round (shape, binding)
//     ├── DecryptionError          an ECIES/AES-GCM box or key file does not open
//     └── DiscreteLogError         a decrypted value is outside the table
//
// Untrusted input that fails throws one of these. Bad arguments from our own code throw
// TypeError (Python's TypeError) or RangeError (Python's ValueError).

export class CryptoError extends Error {}
export class EncodingError extends CryptoError {}
export class InvalidPoint extends EncodingError {}
export class InvalidScalar extends EncodingError {}
export class InvalidProof extends CryptoError {}
export class InvalidSignature extends CryptoError {}
export class InvalidCredential extends CryptoError {}
export class InvalidShare extends CryptoError {}
export class InvalidBallot extends CryptoError {}
export class DecryptionError extends CryptoError {}
export class DiscreteLogError extends CryptoError {}

// The names are set by hand so that they survive minification.
for (const [name, cls] of Object.entries({
  CryptoError,
  EncodingError,
  InvalidPoint,
  InvalidScalar,
  InvalidProof,
  InvalidSignature,
  InvalidCredential,
  InvalidShare,
  InvalidBallot,
  DecryptionError,
  DiscreteLogError,
})) {
  Object.defineProperty(cls.prototype, "name", { value: name, writable: true, configurable: true });
}
