/** Octavia's faultstrings of certificate references (octavia/common/exceptions.py, api/v2/controllers/base.py), as the API tests expect them. */
export const RETRIEVE = (refs: readonly string[]): string => `Could not retrieve certificate: [${refs.map(r => `'${r}'`).join(', ')}]`
export const NO_SUBJECT = 'No CN or DNSName(s) found in certificate. The certificate is invalid.'
/** UnreadablePKCS12, followed by the parser's reason. */
export const PKCS12 = 'The PKCS12 bundle is unreadable. Please check the PKCS12 bundle validity. In addition, make sure it does not require a pass phrase. Error: '
export const CA_INVALID = 'Validation failure: The client authentication CA certificate is invalid. It must be a valid x509 PEM format certificate. Error: '
export const CRL_INVALID = 'Validation failure: The client authentication certificate revocation list is invalid. It must be a valid x509 PEM format certificate revocation list. Error: '
export const CRL_NOT_FOR_CA = 'Validation failure: The CRL specified is not valid for client certificate authority reference supplied.'
