/**
 * The one place that loads @peculiar/x509: it needs `reflect-metadata`
 * imported first and a WebCrypto provider (Node's) set before any use.
 * Import `x509` from here, never from the package directly.
 */
import 'reflect-metadata'
import { webcrypto } from 'node:crypto'
import * as x509 from '@peculiar/x509'

x509.cryptoProvider.set(webcrypto as unknown as Crypto)

export { x509 }

/** ECDSA P-256 with SHA-256: the key and signature algorithm of every certificate we issue. */
export const EC_ALGORITHM = Object.freeze({ name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' })

/** Node's WebCrypto, typed as the DOM's `Crypto` that @peculiar/x509 expects. */
export const subtle = webcrypto.subtle as unknown as SubtleCrypto
